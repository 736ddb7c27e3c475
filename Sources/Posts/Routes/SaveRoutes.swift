import EntativaCore
import EntativaModels
import Hummingbird

/// Saved posts and collections: `/api/v1/posts/{id}/save`, `/api/v1/saved`, `/api/v1/collections…`.
struct SaveRoutes {
    let env: PostsEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .post, "/api/v1/posts/{id}/save",
            APIOperation(
                "savePost", "Save a post, optionally into one of my collections", tag: "saves", access: .signedIn, body: "SavePostRequest",
                response: "Post", errors: [422]
            ).withOptionalBody()
        ) { request, context in
            let form = try await request.decodeJSONIfPresent(as: SavePostRequest.self, context: context) ?? SavePostRequest()
            return Reply(try await Saves(env: env).save(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/posts/{id}/save",
            APIOperation("unsavePost", "Unsave a post (and take it out of my collections)", tag: "saves", access: .signedIn, status: 204)
        ) { _, context in
            try await Saves(env: env).unsave(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .get, "/api/v1/saved",
            APIOperation(
                "listSaved", "My saved posts, newest save first", tag: "saves", access: .signedIn, response: "PostPage", errors: [404, 422],
                query: [QueryParameter("collection_id", Schema.id, description: "Only this collection"), .cursor, .limit])
        ) { request, context in
            let page = try PageRequest(request, limits: limits)
            var collection: CollectionID?
            if let text = request.uri.queryParameters["collection_id"].map(String.init) {
                guard let id = CollectionID(text) else { throw AppError.invalid(field: "collection_id", code: "invalid", message: "is not an ID") }
                collection = id
            }
            return try await Saves(env: env).list(caller: context.caller, collection: collection, page: page).reply(for: request)
        }
        signedIn.add(
            .get, "/api/v1/collections",
            APIOperation("listCollections", "My collections", tag: "saves", access: .signedIn, response: "SavedCollectionPage", errors: [422], query: [.cursor, .limit])
        ) { request, context in
            try await Saves(env: env).collections(caller: context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
        signedIn.add(
            .post, "/api/v1/collections",
            APIOperation(
                "createCollection", "Make a collection", tag: "saves", access: .signedIn, body: "CollectionForm", status: 201,
                response: "SavedCollection", errors: [409, 422], description: "Names are unique per account, ignoring case; at most 100 collections.").idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: CollectionForm.self, context: context)
            return Reply(try await Saves(env: env).createCollection(form, caller: context.caller), status: .created)
        }
        signedIn.add(
            .patch, "/api/v1/collections/{id}",
            APIOperation("renameCollection", "Rename a collection", tag: "saves", access: .signedIn, body: "CollectionForm", response: "SavedCollection", errors: [409, 422])
        ) { request, context in
            let form = try await request.decodeJSON(as: CollectionForm.self, context: context)
            return Reply(try await Saves(env: env).rename(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/collections/{id}",
            APIOperation("deleteCollection", "Delete a collection; its posts stay saved", tag: "saves", access: .signedIn, status: 204)
        ) { _, context in
            try await Saves(env: env).deleteCollection(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .put, "/api/v1/collections/{id}/posts/{post_id}",
            APIOperation("fileInCollection", "Save a post into a collection", tag: "saves", access: .signedIn, response: "SavedCollection")
        ) { _, context in
            Reply(try await Saves(env: env).file(try context.parameters.id("post_id"), in: try context.parameters.id("id"), caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/collections/{id}/posts/{post_id}",
            APIOperation("unfileFromCollection", "Take a post out of a collection; it stays saved", tag: "saves", access: .signedIn, response: "SavedCollection")
        ) { _, context in
            Reply(try await Saves(env: env).unfile(try context.parameters.id("post_id"), from: try context.parameters.id("id"), caller: context.caller))
        }
    }
}
