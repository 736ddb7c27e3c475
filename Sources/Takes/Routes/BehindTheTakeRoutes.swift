import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/takes/{id}/behind…` and `/api/v1/behind-the-takes/saved`.
struct BehindTheTakeRoutes {
    let env: TakesEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        typealias Limits = BehindTheTakeRequest
        signedIn.add(
            .put, "/api/v1/takes/{id}/behind",
            APIOperation(
                "putBehindTheTake", "Write how my Take was made", tag: "takes", access: .signedIn, body: "BehindTheTakeRequest",
                response: "BehindTheTake", errors: [422],
                description: """
                    Replaces it whole: up to \(Limits.maxSteps) ordered steps (text, optional media each), equipment, software and tips (up to \
                    \(Limits.maxListItems) each) and up to \(Limits.maxMedia) behind-the-scenes media of mine. Only the Take's author; anyone \
                    else gets a 404.
                    """)
        ) { request, context in
            let form = try await request.decodeJSON(as: BehindTheTakeRequest.self, context: context)
            return Reply(try await BehindTheTakes(env: env).put(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        anyone.add(
            .get, "/api/v1/takes/{id}/behind",
            APIOperation(
                "getBehindTheTake", "How a Take was made", tag: "takes", access: .anyone, response: "BehindTheTake",
                description: "404 unless the Take has one and I may see the Take.")
        ) { _, context in
            Reply(try await BehindTheTakes(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .delete, "/api/v1/takes/{id}/behind",
            APIOperation("deleteBehindTheTake", "Remove how my Take was made", tag: "takes", access: .signedIn, status: 204)
        ) { _, context in
            try await BehindTheTakes(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .post, "/api/v1/takes/{id}/behind/views",
            APIOperation(
                "viewBehindTheTake", "Count that I opened a Behind-the-Take", tag: "takes", access: .signedIn, status: 204,
                description: "Once per viewer; the author's own views do not count.")
        ) { _, context in
            try await BehindTheTakes(env: env).view(try context.parameters.id("id"), viewer: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .put, "/api/v1/takes/{id}/behind/saved",
            APIOperation("saveBehindTheTake", "Save a Behind-the-Take to learn from", tag: "takes", access: .signedIn, status: 204)
        ) { _, context in
            try await BehindTheTakes(env: env).save(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .delete, "/api/v1/takes/{id}/behind/saved",
            APIOperation("unsaveBehindTheTake", "Forget a saved Behind-the-Take", tag: "takes", access: .signedIn, status: 204)
        ) { _, context in
            try await BehindTheTakes(env: env).unsave(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .get, "/api/v1/behind-the-takes/saved",
            APIOperation(
                "listSavedBehindTheTakes", "Takes whose Behind-the-Take I saved, newest save first", tag: "takes", access: .signedIn,
                response: "TakePage", errors: [422], query: [.cursor, .limit])
        ) { request, context in
            try await BehindTheTakes(env: env).saved(caller: context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        typealias Limits = BehindTheTakeRequest
        let item = Schema.string(maxLength: Limits.maxItemText)
        document.addSchema(
            "BehindTheTakeStep", Schema.object(["text": Schema.string(), "media": Schema.ref("MediaAttachment")], required: ["text"]))
        document.addSchema(
            "BehindTheTake",
            Schema.object(
                [
                    "take_id": Schema.id, "steps": Schema.array(Schema.ref("BehindTheTakeStep")), "equipment": Schema.array(Schema.string()),
                    "software": Schema.array(Schema.string()), "tips": Schema.array(Schema.string()),
                    "media": Schema.array(Schema.ref("MediaAttachment")), "view_count": Schema.integer(minimum: 0),
                    "saved_count": Schema.integer(minimum: 0), "saved": Schema.boolean, "updated_at": Schema.timestamp,
                ],
                required: ["take_id", "steps", "equipment", "software", "tips", "media", "view_count", "saved_count", "updated_at"]))
        document.addSchema(
            "BehindTheTakeStepInput",
            Schema.object(["text": Schema.string(maxLength: Limits.maxStepText), "media_id": Schema.id], required: ["text"]))
        document.addSchema(
            "BehindTheTakeRequest",
            Schema.object(
                [
                    "steps": Schema.array(Schema.ref("BehindTheTakeStepInput"), minItems: 1, maxItems: Limits.maxSteps),
                    "equipment": Schema.array(item, maxItems: Limits.maxListItems), "software": Schema.array(item, maxItems: Limits.maxListItems),
                    "tips": Schema.array(item, maxItems: Limits.maxListItems), "media_ids": Schema.array(Schema.id, maxItems: Limits.maxMedia),
                ],
                required: ["steps"]))
    }
}
