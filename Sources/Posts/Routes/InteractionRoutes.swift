import EntativaCore
import EntativaModels
import Hummingbird

/// Reactions and comments: `/api/v1/posts/{id}/reaction|reactions|comments`, `/api/v1/comments/{id}…`.
struct InteractionRoutes {
    let env: PostsEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        let kinds = Schema.string(values: env.reactionKinds.map(\.rawValue))

        for (target, base, noun) in [(ReactionStore.Target.post, "/api/v1/posts/{id}", "Post"), (.comment, "/api/v1/comments/{id}", "Comment")] {
            signedIn.add(
                .put, "\(base)/reaction",
                APIOperation(
                    "react\(noun)", "Set or change my reaction", tag: "reactions", access: .signedIn, body: "SetReactionRequest",
                    response: "ReactionSummary", errors: [409, 422],
                    description: "Vignette has `like`; Entativa has like, love, haha, wow, sad and angry. One reaction per account. 409 only when my own concurrent requests kept changing it: try again.")
            ) { request, context in
                let form = try await request.decodeJSON(as: SetReactionRequest.self, context: context)
                let id = try Self.id(context.parameters)
                return Reply(try await Reactions(env: env).react(target, id, kind: form.kind, caller: context.caller))
            }
            signedIn.add(
                .delete, "\(base)/reaction",
                APIOperation("unreact\(noun)", "Remove my reaction", tag: "reactions", access: .signedIn, response: "ReactionSummary")
            ) { _, context in
                Reply(try await Reactions(env: env).unreact(target, try Self.id(context.parameters), caller: context.caller))
            }
            anyone.add(
                .get, "\(base)/reactions",
                APIOperation(
                    "list\(noun)Reactions", "Who reacted, newest first", tag: "reactions", access: .anyone, response: "ReactionPage", errors: [422],
                    query: [QueryParameter("kind", kinds, description: "Only this kind"), .cursor, .limit])
            ) { request, context in
                var validator = Validator()
                let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
                var kind: ReactionKind?
                if let text = request.uri.queryParameters["kind"].map(String.init) {
                    kind = ReactionKind(rawValue: text)
                    validator.check(kind != nil, "kind", "invalid", ReactionKind.allowedValuesMessage)
                }
                try validator.validate()
                let cursor = request.uri.queryParameters["cursor"].map(String.init)
                return try await Reactions(env: env).reactors(
                    target, try Self.id(context.parameters), kind: kind, viewer: context.principal, cursor: cursor, limit: limit
                ).reply(for: request)
            }
        }

        signedIn.add(
            .post, "/api/v1/posts/{id}/comments",
            APIOperation(
                "createComment", "Comment, or answer a comment", tag: "comments", access: .signedIn, body: "CreateCommentRequest", status: 201,
                response: "Comment", errors: [403, 422],
                description: "Answers nest to depth 5; an answer to a fifth-level comment hangs beside it, with `in_reply_to_id` naming it. 403 when the post's comment policy leaves me out.").idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: CreateCommentRequest.self, context: context)
            return Reply(try await Comments(env: env).create(on: try context.parameters.id("id"), form: form, caller: context.caller), status: .created)
        }
        anyone.add(
            .get, "/api/v1/posts/{id}/comments",
            APIOperation(
                "listComments", "The post's comment tree, a page of top-level comments at a time", tag: "comments", access: .anyone,
                response: "CommentPage", errors: [422],
                query: [
                    QueryParameter("sort", Schema.string(values: CommentOrder.allCases.map(\.rawValue)), description: "top (default) or newest"),
                    .cursor, .limit,
                ])
        ) { request, context in
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            let order = CommentOrder(rawValue: request.uri.queryParameters["sort"].map(String.init) ?? "top")
            validator.check(order != nil, "sort", "invalid", "must be top or newest")
            try validator.validate()
            return try await Comments(env: env).list(
                on: try context.parameters.id("id"), order: order ?? .top, cursor: request.uri.queryParameters["cursor"].map(String.init),
                limit: limit, viewer: context.principal
            ).reply(for: request)
        }
        anyone.add(.get, "/api/v1/comments/{id}", APIOperation("getComment", "A comment with its replies", tag: "comments", access: .anyone, response: "Comment")) {
            _, context in
            Reply(try await Comments(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .patch, "/api/v1/comments/{id}",
            APIOperation("updateComment", "Edit my comment", tag: "comments", access: .signedIn, body: "UpdateCommentRequest", response: "Comment", errors: [403, 422])
        ) { request, context in
            let form = try await request.decodeJSON(as: UpdateCommentRequest.self, context: context)
            return Reply(try await Comments(env: env).edit(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/comments/{id}",
            APIOperation(
                "deleteComment", "Delete a comment of mine or under my post", tag: "comments", access: .signedIn, status: 204, errors: [403],
                description: "While it has replies, the thread keeps it as a placeholder without author or text.")
        ) { _, context in
            try await Comments(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
    }

    static func id(_ parameters: Parameters) throws -> Int64 {
        guard let text = parameters.get("id"), let id = OutsideInteger.parse(text, in: OutsideInteger.positive) else { throw AppError.notFound() }
        return id
    }
}
