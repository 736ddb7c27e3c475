import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/stories/{id}/stickers/{sticker_id}/responses`: answering stickers, and who answered.
struct StickerRoutes {
    let env: StoriesEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .post, "/api/v1/stories/{id}/stickers/{sticker_id}/responses",
            APIOperation(
                "respondToSticker", "Answer a sticker on a story I may watch", tag: "stories", access: .signedIn,
                body: "StickerResponseRequest", response: "StorySticker", errors: [403, 409, 422],
                description: """
                    Once per viewer (409 `already-answered`): `option` for a poll or a quiz, `value` 0–100 for an emoji slider, `text` \
                    (up to \(StickerInputs.maxAnswer) characters) for a question, nothing for a countdown (subscribing to its end). \
                    404 unless I may watch the story now; 403 on my own story. Answers the sticker as I now see it.
                    """
            ).withOptionalBody()
        ) { request, context in
            let form = try await request.decodeJSONIfPresent(as: StickerResponseRequest.self, context: context) ?? StickerResponseRequest()
            return Reply(
                try await StickerResponses(env: env).respond(
                    story: try context.parameters.id("id"), sticker: try context.parameters.id("sticker_id"), form: form, caller: context.caller))
        }
        signedIn.add(
            .get, "/api/v1/stories/{id}/stickers/{sticker_id}/responses",
            APIOperation(
                "listStickerResponses", "Who answered a sticker on my story, and what", tag: "stories", access: .signedIn,
                response: "StickerResponsePage", errors: [422], query: [.cursor, .limit], description: "Only the story's author may ask; anyone else gets a 404.")
        ) { request, context in
            try await StickerResponses(env: env).list(
                story: try context.parameters.id("id"), sticker: try context.parameters.id("sticker_id"), caller: context.caller,
                page: try PageRequest(request, limits: limits)
            ).reply(for: request)
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let number: (Double, Double) -> JSONValue = { ["type": "number", "minimum": .double($0), "maximum": .double($1)] }
        let kinds = Schema.string(values: StickerKind.allCases.map(\.rawValue))
        document.addSchema(
            "StickerPlacement",
            Schema.object(
                ["x": number(0, 1), "y": number(0, 1), "scale": number(0.1, 5), "rotation": number(-360, 360)],
                required: ["x", "y", "scale", "rotation"]))
        document.addSchema(
            "StickerLocation",
            Schema.object(
                [
                    "name": Schema.string(minLength: 1, maxLength: StickerInputs.maxLocationName), "latitude": number(-90, 90),
                    "longitude": number(-180, 180),
                ],
                required: ["name", "latitude", "longitude"]))
        document.addSchema(
            "StickerInput",
            Schema.object(
                [
                    "kind": kinds, "placement": Schema.ref("StickerPlacement"), "question": Schema.string(maxLength: StickerInputs.maxQuestion),
                    "options": Schema.array(Schema.string(minLength: 1, maxLength: StickerInputs.maxOption), minItems: 2, maxItems: 4),
                    "correct_option": Schema.integer(minimum: 0, maximum: 3), "title": Schema.string(minLength: 1, maxLength: StickerInputs.maxTitle),
                    "ends_at": Schema.timestamp, "emoji": Schema.string(minLength: 1), "account_id": Schema.id,
                    "location": Schema.ref("StickerLocation"), "media_id": Schema.id, "start_seconds": ["type": "number", "minimum": 0, "maximum": .double(StickerInputs.maxTrackSeconds)],
                ],
                required: ["kind", "placement"]))
        document.addSchema("StickerMention", Schema.object(["id": Schema.id, "username": Schema.string()], required: ["id", "username"]))
        document.addSchema(
            "StickerAnswer",
            Schema.object([
                "option": Schema.integer(minimum: 0, maximum: 3), "value": Schema.integer(minimum: 0, maximum: 100),
                "text": Schema.string(maxLength: StickerInputs.maxAnswer), "correct": Schema.boolean,
            ]))
        document.addSchema(
            "StickerResults",
            Schema.object(
                [
                    "total": Schema.integer(minimum: 0), "counts": Schema.array(Schema.integer(minimum: 0)),
                    "percentages": Schema.array(Schema.integer(minimum: 0, maximum: 100)), "correct_count": Schema.integer(minimum: 0),
                    "average": number(0, 100), "mine": Schema.ref("StickerAnswer"),
                ],
                required: ["total"]))
        document.addSchema(
            "StorySticker",
            Schema.object(
                [
                    "id": Schema.id, "kind": kinds, "placement": Schema.ref("StickerPlacement"), "question": Schema.string(),
                    "options": Schema.array(Schema.string()), "correct_option": Schema.integer(minimum: 0, maximum: 3), "title": Schema.string(),
                    "ends_at": Schema.timestamp, "emoji": Schema.string(), "mention": Schema.ref("StickerMention"),
                    "location": Schema.ref("StickerLocation"), "music": Schema.ref("MediaAttachment"), "start_seconds": ["type": "number", "minimum": 0],
                    "results": Schema.ref("StickerResults"),
                ],
                required: ["id", "kind", "placement"]))
        document.addSchema(
            "StickerResponseRequest",
            Schema.object([
                "option": Schema.integer(minimum: 0, maximum: 3), "value": Schema.integer(minimum: 0, maximum: 100),
                "text": Schema.string(minLength: 1, maxLength: StickerInputs.maxAnswer),
            ]))
        document.addSchema(
            "StickerResponse",
            Schema.object(
                ["account": Schema.ref("Account"), "answer": Schema.ref("StickerAnswer"), "responded_at": Schema.timestamp],
                required: ["account", "answer", "responded_at"]))
        document.addSchema("StickerResponsePage", Schema.page(of: "StickerResponse"))
        document.addSchema("ReshareAnswer", Schema.object(["sticker_id": Schema.id, "account_id": Schema.id], required: ["sticker_id", "account_id"]))
        document.addSchema("ResharedAnswer", Schema.object(["question": Schema.string(), "text": Schema.string()], required: ["question", "text"]))
    }
}
