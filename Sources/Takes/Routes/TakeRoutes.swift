import EntativaCore
import EntativaModels
import Feed
import Hummingbird

/// `/api/v1/takes…`, `/api/v1/accounts/{id}/takes` and `/api/v1/sounds/{id}…`.
struct TakeRoutes {
    let env: TakesEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        let settings = env.settings
        signedIn.add(
            .post, "/api/v1/takes",
            APIOperation(
                "createTake", "Post a Take", tag: "takes", access: .signedIn, body: "CreateTakeRequest", status: 201, response: "Take", errors: [422],
                description: """
                    One ready video of mine lasting \(settings.minDurationMillis / 1000)–\(settings.maxDurationMillis / 1000) s by ffprobe's reading \
                    of the file, with a caption (hashtags and mentions as in posts), an audience, a cover frame, remix and duet flags, music (my \
                    own audio, which becomes a reusable sound, or a sound to reuse) and the template it was made with. Its hashtags, sound and \
                    template join their trends; the first Take to use one becomes its origin for good. Send an Idempotency-Key to make retries safe.
                    """
            ).idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: CreateTakeRequest.self, context: context)
            return Reply(try await TakePosting(env: env).create(form, caller: context.caller), status: .created)
        }
        signedIn.add(
            .get, "/api/v1/takes/feed",
            APIOperation(
                "takesFeed", "Takes for me", tag: "takes", access: .signedIn, response: "TakeFeedItemPage", errors: [422], query: [.cursor, .limit],
                description: """
                    Takes of the last \(settings.feedHorizon.components.seconds / 86_400) days that I may see, have not seen and did not make, \
                    without muted authors, ranked by completion, rewatches, engagement velocity and my affinity with the author, with the \
                    discovery boost for the origin Takes of growing trends (docs/takes.md); at most 2 of one author a page.
                    """)
        ) { request, context in
            let (cursor, limit) = try Self.rankedPage(request, limits: limits)
            let page = try await TakesFeed(env: env).read(viewer: context.caller, cursor: cursor, limit: limit)
            return Reply(page, headers: PageLink.next(page.nextCursor, for: request))
        }
        signedIn.add(
            .post, "/api/v1/takes/views",
            APIOperation(
                "reportTakeViews", "Report what I watched", tag: "takes", access: .signedIn, body: "TakeViewsRequest", response: "TakeViewsResult",
                errors: [422],
                description: """
                    Up to \(TakeViewsRequest.maxViews) reports: watch time, the furthest point reached (0–1) and rewatches. A view counts once \
                    a day per viewer; later reports that day add watch time and rewatches and keep the furthest point. Reports about my own Takes \
                    or Takes I may not see are dropped.
                    """)
        ) { request, context in
            let form = try await request.decodeJSON(as: TakeViewsRequest.self, context: context)
            return Reply(try await TakeViews(env: env).record(form, viewer: context.caller))
        }
        anyone.add(
            .get, "/api/v1/takes/{id}",
            APIOperation(
                "getTake", "A Take", tag: "takes", access: .anyone, response: "Take",
                description: "404 unless I may see its post. React, comment, share and save through `/api/v1/posts/{id}/…` with the same ID.")
        ) { _, context in
            Reply(try await TakePosting(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .patch, "/api/v1/takes/{id}",
            APIOperation(
                "updateTake", "Edit my Take", tag: "takes", access: .signedIn, body: "UpdateTakeRequest", response: "Take", errors: [422],
                description: "Caption, audience and comment policy as a post edit (kept in its history); the cover and the remix and duet flags. Trends keep their originators whatever an edit changes.")
        ) { request, context in
            let form = try await request.decodeJSON(as: UpdateTakeRequest.self, context: context)
            return Reply(try await TakePosting(env: env).update(try context.parameters.id("id"), form: form, caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/takes/{id}",
            APIOperation(
                "deleteTake", "Delete my Take", tag: "takes", access: .signedIn, status: 204,
                description: "It leaves its trends; a trend it started keeps crediting it as the origin.")
        ) { _, context in
            try await TakePosting(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        anyone.add(
            .get, "/api/v1/accounts/{id}/takes",
            APIOperation(
                "listAccountTakes", "An account's Takes that I may see, newest first", tag: "takes", access: .anyone, response: "TakePage",
                errors: [422], query: [.cursor, .limit])
        ) { request, context in
            try await TakePosting(env: env).list(of: try context.parameters.id("id"), viewer: context.principal, page: try PageRequest(request, limits: limits))
                .reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/sounds/{id}",
            APIOperation(
                "getSound", "A sound", tag: "takes", access: .anyone, response: "TakeSound",
                description: "404 unless I may see the Take that brought it, as reusing it requires.")
        ) { _, context in
            Reply(try await Sounds(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        anyone.add(
            .get, "/api/v1/sounds/{id}/takes",
            APIOperation(
                "listSoundTakes", "Takes using a sound that I may see, newest first", tag: "takes", access: .anyone, response: "TakePage",
                errors: [422], query: [.cursor, .limit])
        ) { request, context in
            let sound: SoundID = try context.parameters.id("id")
            _ = try await Sounds(env: env).get(sound, viewer: context.principal)
            return try await TakePosting(env: env).using(sound: sound, viewer: context.principal, page: try PageRequest(request, limits: limits))
                .reply(for: request)
        }
    }

    /// A limit and a ranked cursor, each checked.
    static func rankedPage(_ request: Request, limits: Limits) throws -> (RankedCursor?, Int) {
        var validator = Validator()
        let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
        var cursor: RankedCursor?
        if let text = request.uri.queryParameters["cursor"].map(String.init), !text.isEmpty {
            cursor = RankedCursor(text)
            validator.check(cursor != nil, "cursor", "invalid", "is not a cursor this server gave out for this list")
        }
        try validator.validate()
        return (cursor, limit)
    }

    static func registerSchemas(in document: OpenAPIDocument, env: TakesEnvironment) {
        let settings = env.settings
        let millis = Schema.integer(minimum: 0)
        let count = Schema.integer(minimum: 0)
        let fraction: JSONValue = ["type": "number", "minimum": 0, "maximum": 1]
        let audience = Schema.string(values: PostAudience.allCases.map(\.rawValue))
        let policy = Schema.string(values: CommentPolicy.allCases.map(\.rawValue))
        document.addSchema(
            "Take",
            Schema.object(
                [
                    "id": Schema.id, "post": Schema.ref("Post"), "duration_ms": millis, "width": Schema.integer(minimum: 1),
                    "height": Schema.integer(minimum: 1), "orientation": Schema.string(values: TakeOrientation.allCases.map(\.rawValue)),
                    "cover_at_ms": millis, "allow_remix": Schema.boolean, "allow_duet": Schema.boolean, "sound": Schema.ref("TakeSound"),
                    "sound_start_ms": millis, "view_count": count, "has_behind_the_take": Schema.boolean, "template": Schema.ref("TemplateCredit"),
                    "trends": Schema.array(Schema.ref("TrendCredit")), "created_at": Schema.timestamp,
                ],
                required: [
                    "id", "post", "duration_ms", "width", "height", "orientation", "cover_at_ms", "allow_remix", "allow_duet", "view_count",
                    "has_behind_the_take", "trends", "created_at",
                ]))
        document.addSchema("TakePage", Schema.page(of: "Take"))
        document.addSchema(
            "TakeSound",
            Schema.object(
                [
                    "id": Schema.id, "title": Schema.string(), "creator": Schema.ref("Account"), "duration_ms": millis,
                    "media": Schema.ref("MediaAttachment"), "use_count": count,
                ],
                required: ["id", "title", "duration_ms", "use_count"]))
        document.addSchema(
            "TrendCredit",
            Schema.object(
                [
                    "trend_id": Schema.id, "kind": Schema.string(values: TrendKind.allCases.map(\.rawValue)), "key": Schema.string(),
                    "originator": Schema.ref("Account"), "origin_take_id": Schema.id, "is_origin": Schema.boolean,
                ],
                required: ["trend_id", "kind", "key", "is_origin"]))
        document.addSchema(
            "TemplateCredit",
            Schema.object(["template_id": Schema.id, "name": Schema.string(), "creator": Schema.ref("Account")], required: ["template_id", "name"]))
        document.addSchema(
            "TakeMusicInput",
            Schema.object(
                [
                    "media_id": Schema.id, "sound_id": Schema.id, "title": Schema.string(maxLength: settings.maxSoundTitle),
                    "start_ms": Schema.integer(minimum: 0, maximum: TakePosting.maxOffsetMillis),
                ]))
        document.addSchema(
            "CreateTakeRequest",
            Schema.object(
                [
                    "media_id": Schema.id, "caption": Schema.string(maxLength: settings.maxCaption), "audience": audience, "comment_policy": policy,
                    "cover_at_ms": Schema.integer(minimum: 0, maximum: settings.maxDurationMillis), "allow_remix": Schema.boolean,
                    "allow_duet": Schema.boolean, "music": Schema.ref("TakeMusicInput"), "template_id": Schema.id,
                ],
                required: ["media_id"]))
        document.addSchema(
            "UpdateTakeRequest",
            Schema.object(
                [
                    "caption": Schema.string(maxLength: settings.maxCaption), "audience": audience, "comment_policy": policy,
                    "cover_at_ms": Schema.integer(minimum: 0, maximum: settings.maxDurationMillis), "allow_remix": Schema.boolean,
                    "allow_duet": Schema.boolean,
                ]))
        document.addSchema(
            "TakeViewReport",
            Schema.object(
                [
                    "take_id": Schema.id, "watch_ms": Schema.integer(minimum: 0, maximum: TakeViewsRequest.maxWatchMs), "completion": fraction,
                    "rewatches": Schema.integer(minimum: 0, maximum: TakeViewsRequest.maxRewatches),
                ],
                required: ["take_id", "watch_ms", "completion"]))
        document.addSchema(
            "TakeViewsRequest",
            Schema.object(["views": Schema.array(Schema.ref("TakeViewReport"), minItems: 1, maxItems: TakeViewsRequest.maxViews)], required: ["views"]))
        document.addSchema("TakeViewsResult", Schema.object(["accepted": count, "new_views": count], required: ["accepted", "new_views"]))
        let number: JSONValue = ["type": "number", "minimum": 0]
        document.addSchema(
            "TakeFeedItem",
            Schema.object(
                [
                    "take": Schema.ref("Take"), "score": number, "completion": fraction, "rewatch": fraction, "velocity": fraction,
                    "affinity": fraction, "boost": number,
                ],
                required: ["take", "score", "completion", "rewatch", "velocity", "affinity", "boost"]))
        document.addSchema("TakeFeedItemPage", Schema.page(of: "TakeFeedItem"))
    }
}
