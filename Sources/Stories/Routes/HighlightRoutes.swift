import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/highlights…` and `/api/v1/accounts/{id}/highlights`.
struct HighlightRoutes {
    let env: StoriesEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        signedIn.add(
            .post, "/api/v1/highlights",
            APIOperation(
                "createHighlight", "Keep some of my stories on my profile", tag: "stories", access: .signedIn, body: "CreateHighlightRequest",
                status: 201, response: "Highlight", errors: [409, 422],
                description: """
                    A title up to \(Highlights.maxTitle) characters, a cover (an emoji with an optional #rrggbb colour, or one of its stories) \
                    and 1–\(Highlights.maxStories) of my stories, live or archived, in the order they play. 409 `highlight-limit` past \
                    \(Highlights.maxHighlights) highlights.
                    """)
        ) { request, context in
            let form = try await request.decodeJSON(as: CreateHighlightRequest.self, context: context)
            return Reply(try await Highlights(env: env).create(form, caller: context.caller), status: .created)
        }
        anyone.add(
            .get, "/api/v1/highlights/{id}",
            APIOperation(
                "getHighlight", "A highlight with the stories I may watch", tag: "stories", access: .anyone, response: "Highlight",
                description: "Its stories keep their audiences and hide-from lists after they expire; 404 when I may watch none of them.")
        ) { _, context in
            Reply(try await Highlights(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .patch, "/api/v1/highlights/{id}",
            APIOperation(
                "updateHighlight", "Edit my highlight: title, cover, stories, pin", tag: "stories", access: .signedIn,
                body: "UpdateHighlightRequest", response: "Highlight", errors: [422], description: "`story_ids` replaces the whole ordered list.")
        ) { request, context in
            let form = try await request.decodeJSON(as: UpdateHighlightRequest.self, context: context)
            return Reply(try await Highlights(env: env).update(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        signedIn.add(.delete, "/api/v1/highlights/{id}", APIOperation("deleteHighlight", "Delete my highlight", tag: "stories", access: .signedIn, status: 204)) {
            _, context in
            try await Highlights(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .put, "/api/v1/highlights/order",
            APIOperation(
                "reorderHighlights", "Put my highlights in order", tag: "stories", access: .signedIn, body: "ReorderHighlightsRequest",
                response: "HighlightPage", errors: [422], description: "Names each of my highlights once; answers all of them in their new order (pinned ones stay first), in one page.")
        ) { request, context in
            let form = try await request.decodeJSON(as: ReorderHighlightsRequest.self, context: context)
            return Reply(try await Highlights(env: env).reorder(form, caller: context.caller))
        }
        anyone.add(
            .get, "/api/v1/accounts/{id}/highlights",
            APIOperation(
                "listAccountHighlights", "An account's highlights", tag: "stories", access: .anyone, response: "HighlightPage", errors: [403],
                description: "Pinned first, then in the owner's order, all in one page (at most \(Highlights.maxHighlights)); highlights with no story I may watch are left out. 403 for a private account whose content I may not see.")
        ) { _, context in
            Reply(try await Highlights(env: env).list(of: try context.parameters.id("id"), viewer: context.principal))
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let cover = Schema.object([
            "emoji": Schema.string(minLength: 1), "color": Schema.string(pattern: "^#[0-9a-fA-F]{6}$"), "story_id": Schema.id,
        ])
        document.addSchema("HighlightCover", cover)
        let storyIDs = Schema.array(Schema.id, minItems: 1, maxItems: Highlights.maxStories)
        document.addSchema(
            "Highlight",
            Schema.object(
                [
                    "id": Schema.id, "owner": Schema.ref("Account"), "title": Schema.string(), "cover": Schema.ref("HighlightCover"),
                    "pinned": Schema.boolean, "story_count": Schema.integer(minimum: 0), "stories": Schema.array(Schema.ref("Story")),
                    "created_at": Schema.timestamp, "updated_at": Schema.timestamp,
                ],
                required: ["id", "owner", "title", "cover", "pinned", "story_count", "created_at", "updated_at"]))
        document.addSchema("HighlightPage", Schema.page(of: "Highlight"))
        document.addSchema(
            "CreateHighlightRequest",
            Schema.object(
                [
                    "title": Schema.string(minLength: 1, maxLength: Highlights.maxTitle), "cover": Schema.ref("HighlightCover"), "story_ids": storyIDs,
                    "pinned": Schema.boolean,
                ],
                required: ["title", "story_ids"]))
        document.addSchema(
            "UpdateHighlightRequest",
            Schema.object([
                "title": Schema.string(minLength: 1, maxLength: Highlights.maxTitle), "cover": Schema.ref("HighlightCover"), "story_ids": storyIDs,
                "pinned": Schema.boolean,
            ]))
        document.addSchema(
            "ReorderHighlightsRequest",
            Schema.object(["highlight_ids": Schema.array(Schema.id, maxItems: Highlights.maxHighlights)], required: ["highlight_ids"]))
    }
}
