import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/templates…`.
struct TemplateRoutes {
    let env: TakesEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .post, "/api/v1/templates",
            APIOperation(
                "createTemplate", "Make a template", tag: "takes", access: .signedIn, body: "CreateTemplateRequest", status: 201, response: "TakeTemplate",
                errors: [409, 422],
                description: """
                    From one of my Takes (its sound comes along) or from scratch: clip slots, transitions, effects with start and end times, \
                    beat markers (each within the clips and within the sound from its start offset) and text overlays. A template made from a \
                    Take starts its trend with that Take as the origin. 409 `template-limit` with \(Templates.maxPerCreator) templates already.
                    """)
        ) { request, context in
            let form = try await request.decodeJSON(as: CreateTemplateRequest.self, context: context)
            return Reply(try await Templates(env: env).create(form, caller: context.caller), status: .created)
        }
        anyone.add(
            .get, "/api/v1/templates",
            APIOperation(
                "listTemplates", "The template gallery", tag: "takes", access: .anyone, response: "TakeTemplatePage", errors: [404, 422],
                query: [
                    QueryParameter(
                        "order", Schema.string(values: TemplateOrder.allCases.map(\.rawValue)),
                        description: "newest (default), or trending: most Takes made with it in the last 7 days"),
                    QueryParameter("creator_id", Schema.id, description: "Only this creator's"),
                    .cursor, .limit,
                ],
                description: "Templates whose creator's content I may see. 404 when `creator_id` names an account I may not see.")
        ) { request, context in
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            var order = TemplateOrder.newest
            if let text = request.uri.queryParameters["order"].map(String.init) {
                if let chosen = TemplateOrder(rawValue: text) { order = chosen } else { validator.add("order", "invalid", TemplateOrder.allowedValuesMessage) }
            }
            var creator: AccountID?
            if let text = request.uri.queryParameters["creator_id"].map(String.init) {
                creator = AccountID(text)
                validator.check(creator != nil, "creator_id", "invalid", "must be an account ID")
            }
            try validator.validate()
            let cursor = request.uri.queryParameters["cursor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return try await Templates(env: env).list(order: order, creator: creator, viewer: context.principal, cursor: cursor, limit: limit)
                .reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/templates/{id}",
            APIOperation("getTemplate", "A template", tag: "takes", access: .anyone, response: "TakeTemplate", description: "404 unless I may see its creator's content.")
        ) { _, context in
            Reply(try await Templates(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .delete, "/api/v1/templates/{id}",
            APIOperation(
                "deleteTemplate", "Delete my template", tag: "takes", access: .signedIn, status: 204,
                description: "Takes made with it stay, without its credit.")
        ) { _, context in
            try await Templates(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
    }

    static func registerSchemas(in document: OpenAPIDocument, env: TakesEnvironment) {
        let maxDuration = env.settings.maxDurationMillis
        let offset = Schema.integer(minimum: 0, maximum: maxDuration)
        let fraction: JSONValue = ["type": "number", "minimum": 0, "maximum": 1]
        document.addSchema(
            "TemplateClipSlot", Schema.object(["duration_ms": Schema.integer(minimum: Templates.minClipMillis, maximum: maxDuration)], required: ["duration_ms"]))
        document.addSchema(
            "TemplateTransition",
            Schema.object(["at_ms": offset, "kind": Schema.string(values: TemplateTransition.kinds)], required: ["at_ms", "kind"]))
        document.addSchema(
            "TemplateEffect",
            Schema.object(
                [
                    "name": Schema.string(maxLength: Templates.maxEffectName), "start_ms": offset, "end_ms": offset,
                    "parameters": Schema.map(of: ["type": "number", "minimum": -1_000_000, "maximum": 1_000_000]),
                ],
                required: ["name", "start_ms", "end_ms"]))
        document.addSchema(
            "TemplateTextOverlay",
            Schema.object(
                ["text": Schema.string(maxLength: Templates.maxOverlayText), "start_ms": offset, "end_ms": offset, "x": fraction, "y": fraction],
                required: ["text", "start_ms", "end_ms", "x", "y"]))
        document.addSchema(
            "TakeTemplate",
            Schema.object(
                [
                    "id": Schema.id, "name": Schema.string(), "creator": Schema.ref("Account"), "source_take_id": Schema.id,
                    "sound": Schema.ref("TakeSound"), "sound_start_ms": Schema.integer(minimum: 0),
                    "clips": Schema.array(Schema.ref("TemplateClipSlot")), "transitions": Schema.array(Schema.ref("TemplateTransition")),
                    "effects": Schema.array(Schema.ref("TemplateEffect")), "beat_markers_ms": Schema.array(offset),
                    "text_overlays": Schema.array(Schema.ref("TemplateTextOverlay")), "duration_ms": Schema.integer(minimum: 0),
                    "use_count": Schema.integer(minimum: 0), "created_at": Schema.timestamp,
                ],
                required: [
                    "id", "name", "creator", "clips", "transitions", "effects", "beat_markers_ms", "text_overlays", "duration_ms", "use_count",
                    "created_at",
                ]))
        document.addSchema("TakeTemplatePage", Schema.page(of: "TakeTemplate"))
        document.addSchema(
            "CreateTemplateRequest",
            Schema.object(
                [
                    "name": Schema.string(maxLength: Templates.maxName), "from_take_id": Schema.id, "sound_id": Schema.id,
                    "sound_start_ms": Schema.integer(minimum: 0, maximum: TakePosting.maxOffsetMillis),
                    "clips": Schema.array(Schema.ref("TemplateClipSlot"), minItems: 1, maxItems: Templates.maxClips),
                    "transitions": Schema.array(Schema.ref("TemplateTransition"), maxItems: Templates.maxTransitions),
                    "effects": Schema.array(Schema.ref("TemplateEffect"), maxItems: Templates.maxEffects),
                    "beat_markers_ms": Schema.array(offset, maxItems: Templates.maxBeatMarkers),
                    "text_overlays": Schema.array(Schema.ref("TemplateTextOverlay"), maxItems: Templates.maxOverlays),
                ],
                required: ["name", "clips"]))
    }
}
