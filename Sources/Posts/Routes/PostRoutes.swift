import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/posts…`: publishing, reading, history, shares; profile, hashtag and mention lists.
struct PostRoutes {
    let env: PostsEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        let page: [QueryParameter] = [.cursor, .limit]

        signedIn.add(
            .post, "/api/v1/posts",
            APIOperation(
                "createPost", "Publish a post", tag: "posts", access: .signedIn, body: "CreatePostRequest", status: 201, response: "Post",
                errors: [422],
                description: "Text up to 5,000 characters on Entativa (captions up to 2,200 on Vignette, where a post needs media), up to 10 ready media of mine, a location and an audience. Send an Idempotency-Key to make retries safe.").idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: CreatePostRequest.self, context: context)
            return Reply(try await Publishing(env: env).create(form, caller: context.caller), status: .created)
        }
        anyone.add(.get, "/api/v1/posts/{id}", APIOperation("getPost", "A post", tag: "posts", access: .anyone, response: "Post")) { _, context in
            Reply(try await Publishing(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .patch, "/api/v1/posts/{id}",
            APIOperation(
                "updatePost", "Edit my post's text, audience or comment policy", tag: "posts", access: .signedIn, body: "UpdatePostRequest",
                response: "Post", errors: [422], description: "Text and audience changes are kept in the post's history.")
        ) { request, context in
            let form = try await request.decodeJSON(as: UpdatePostRequest.self, context: context)
            return Reply(try await Publishing(env: env).update(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        signedIn.add(.delete, "/api/v1/posts/{id}", APIOperation("deletePost", "Delete my post", tag: "posts", access: .signedIn, status: 204)) { _, context in
            try await Publishing(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        anyone.add(
            .get, "/api/v1/posts/{id}/history",
            APIOperation(
                "getPostHistory", "The post's versions, newest first", tag: "posts", access: .anyone, response: "PostRevisionPage",
                description: "The current version first, then the earlier ones the caller's audience reaches; the page is complete (`next_cursor` is null).")
        ) { request, context in
            Page(items: try await Publishing(env: env).history(try context.parameters.id("id"), viewer: context.principal), nextCursor: nil)
                .reply(for: request)
        }
        signedIn.add(
            .post, "/api/v1/posts/{id}/share",
            APIOperation(
                "sharePost", "Share a post, with optional quote text", tag: "posts", access: .signedIn, body: "SharePostRequest", status: 201,
                response: "Post", errors: [409, 422],
                description: "One share per account and post (409 for a second). Sharing a share shares its original. The audience may not be wider than the original's.").withOptionalBody().idempotent()
        ) { request, context in
            let form = try await request.decodeJSONIfPresent(as: SharePostRequest.self, context: context) ?? SharePostRequest()
            return Reply(try await Shares(env: env).share(try context.parameters.id("id"), form: form, caller: context.caller), status: .created)
        }
        anyone.add(
            .get, "/api/v1/posts/{id}/shares",
            APIOperation("listShares", "Shares of a post that I may see", tag: "posts", access: .anyone, response: "PostPage", errors: [422], query: page)
        ) { request, context in
            let page = try PageRequest(request, limits: limits)
            return try await Shares(env: env).list(try context.parameters.id("id"), viewer: context.principal, page: page).reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/accounts/{id}/posts",
            APIOperation(
                "listAccountPosts", "An account's posts that I may see", tag: "posts", access: .anyone, response: "PostPage", errors: [403, 422],
                query: page, description: "403 for a private account whose posts the caller may not see (as for its follower lists).")
        ) { request, context in
            let page = try PageRequest(request, limits: limits)
            return try await Timelines(env: env).profile(try context.parameters.id("id"), viewer: context.principal, page: page).reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/hashtags/{name}/posts",
            APIOperation(
                "listHashtagPosts", "Posts with a hashtag", tag: "posts", access: .anyone, response: "PostPage", errors: [422], query: page,
                description: "The name without `#`, matched case-insensitively after Unicode normalisation (NFKC).")
        ) { request, context in
            let page = try PageRequest(request, limits: limits)
            guard let name = context.parameters.get("name") else { throw AppError.notFound("hashtag") }
            return try await Timelines(env: env).hashtag(name, viewer: context.principal, page: page).reply(for: request)
        }
        signedIn.add(
            .get, "/api/v1/mentions",
            APIOperation("listMentions", "Posts that mention me", tag: "posts", access: .signedIn, response: "PostPage", errors: [422], query: page)
        ) { request, context in
            try await Timelines(env: env).mentions(of: context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
    }
}
