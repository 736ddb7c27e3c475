import EntativaCore
import EntativaModels
import Hummingbird
import Messaging

/// `/api/v1/stories…` and `/api/v1/accounts/{id}/stories`.
struct StoryRoutes {
    let env: StoriesEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        let settings = env.settings
        signedIn.add(
            .post, "/api/v1/stories",
            APIOperation(
                "createStory", "Post a story", tag: "stories", access: .signedIn, body: "CreateStoryRequest", status: 201, response: "Story",
                errors: [409, 422],
                description: """
                    One ready image or video (at most \(settings.maxVideoSeconds) s) of mine, a caption up to \(settings.maxCaption) characters, \
                    an audience and accounts to hide it from. It leaves every tray \(settings.lifetime.components.seconds / 3600) hours later \
                    and stays in my archive. 409 when I already have \(settings.maxLive) stories in my tray. Send an Idempotency-Key to make \
                    retries safe.
                    """
            ).idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: CreateStoryRequest.self, context: context)
            return Reply(try await StoryPosting(env: env).create(form, caller: context.caller), status: .created)
        }
        signedIn.add(
            .get, "/api/v1/stories/tray",
            APIOperation(
                "getStoryTray", "Whose stories I may watch now", tag: "stories", access: .signedIn, response: "StoryTrayPage", errors: [422],
                query: [.cursor, .limit],
                description: "Mine first, then accounts with stories I have not seen, each group by how close I am to them, then newest.")
        ) { request, context in
            try await StoryTray(env: env).tray(viewer: context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
        signedIn.add(
            .get, "/api/v1/stories/archive",
            APIOperation(
                "listStoryArchive", "My stories that have left the tray, newest first", tag: "stories", access: .signedIn,
                response: "ArchivedStoryPage", errors: [422], query: [.cursor, .limit])
        ) { request, context in
            try await StoryArchive(env: env).list(caller: context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/stories/{id}",
            APIOperation(
                "getStory", "A story", tag: "stories", access: .anyone, response: "Story",
                description: "404 unless it is in its author's tray and I am in its audience; its author also sees it once archived.")
        ) { _, context in
            Reply(try await StoryPosting(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .delete, "/api/v1/stories/{id}", APIOperation("deleteStory", "Delete my story, live or archived", tag: "stories", access: .signedIn, status: 204)
        ) { _, context in
            try await StoryPosting(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .post, "/api/v1/stories/{id}/views",
            APIOperation(
                "viewStory", "Mark a story seen", tag: "stories", access: .signedIn, status: 204,
                description: "Once per viewer: seeing it again, or my own, changes nothing.")
        ) { _, context in
            try await StoryViews(env: env).record(try context.parameters.id("id"), viewer: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .get, "/api/v1/stories/{id}/viewers",
            APIOperation(
                "listStoryViewers", "Who saw my story, newest first", tag: "stories", access: .signedIn, response: "StoryViewerPage",
                errors: [422], query: [.cursor, .limit], description: "Only its author may ask; anyone else gets a 404.")
        ) { request, context in
            try await StoryViews(env: env).viewers(of: try context.parameters.id("id"), caller: context.caller, page: try PageRequest(request, limits: limits))
                .reply(for: request)
        }
        signedIn.add(
            .post, "/api/v1/stories/navigation",
            APIOperation(
                "reportStoryNavigation", "Report taps forward, back and exits while watching", tag: "stories", access: .signedIn,
                body: "StoryNavigationRequest", response: "StoryNavigationResult", errors: [422],
                description: """
                    Up to \(StoryNavigationRequest.maxEvents) events a request. Events on my own stories or on stories I may not watch now \
                    are dropped; each viewer counts at most \(StoryInsightsReport.maxActionsPerViewer) of each action per story.
                    """)
        ) { request, context in
            let form = try await request.decodeJSON(as: StoryNavigationRequest.self, context: context)
            return Reply(try await StoryInsightsReport(env: env).navigate(form, caller: context.caller))
        }
        var reply = APIOperation(
            "replyToStory", "Reply to a story with an end-to-end encrypted direct message", tag: "stories", access: .signedIn,
            body: "StoryReplyRequest", status: 201, response: "SentMessage", errors: [403, 404, 409, 422],
            description: """
                Envelopes for every active device of the story's author and every other active device of mine, exactly as \
                `POST /api/v1/messages` takes them (409 naming missing or stale devices); each stored envelope names the story. 404 unless \
                I may watch the story now; 403 on my own story. The author gets a `story_reply` notification; the reply stays encrypted. \
                Send an Idempotency-Key to make retries safe.
                """
        ).idempotent()
        reply.headers = StoryReplySends.deviceHeaders
        signedIn.add(.post, "/api/v1/stories/{id}/replies", reply) { request, context in
            let form = try await request.decodeJSON(as: StoryReplyRequest.self, context: context)
            return Reply(
                try await StoryReplies(env: env).reply(to: try context.parameters.id("id"), form: form, request: request, context: context),
                status: .created)
        }
        signedIn.add(
            .get, "/api/v1/stories/{id}/insights",
            APIOperation(
                "getStoryInsights", "My story's numbers", tag: "stories", access: .signedIn, response: "StoryInsights",
                description: "Views, unique viewers, reach, interaction rate, peak hour, sticker answers by kind, replies, taps and exits. Only its author may ask; anyone else gets a 404.")
        ) { _, context in
            Reply(try await StoryInsightsReport(env: env).insights(of: try context.parameters.id("id"), caller: context.caller))
        }
        anyone.add(
            .get, "/api/v1/accounts/{id}/stories",
            APIOperation(
                "listAccountStories", "An account's stories that I may watch now, in the order they play", tag: "stories", access: .anyone,
                response: "StoryPage", description: "All of them in one page (an account has at most \(settings.maxLive) in its tray).")
        ) { _, context in
            Reply(try await StoryPosting(env: env).live(of: try context.parameters.id("id"), viewer: context.principal))
        }
    }

    static func registerSchemas(in document: OpenAPIDocument, env: StoriesEnvironment) {
        let settings = env.settings
        let audience = Schema.string(values: env.audiences.map(\.rawValue))
        document.addSchema(
            "Story",
            Schema.object(
                [
                    "id": Schema.id, "author": Schema.ref("Account"), "media": Schema.ref("MediaAttachment"), "caption": Schema.string(),
                    "display_seconds": ["type": "number", "minimum": 0], "stickers": Schema.array(Schema.ref("StorySticker")),
                    "reshared_answer": Schema.ref("ResharedAnswer"), "created_at": Schema.timestamp, "expires_at": Schema.timestamp,
                    "seen": Schema.boolean, "audience": audience, "hide_from": Schema.array(Schema.id), "view_count": Schema.integer(minimum: 0),
                ],
                required: ["id", "author", "media", "caption", "display_seconds", "stickers", "created_at", "expires_at", "seen"]))
        document.addSchema("StoryPage", Schema.page(of: "Story"))
        let actions = Schema.string(values: StoryNavigationAction.allCases.map(\.rawValue))
        document.addSchema(
            "StoryNavigationEvent", Schema.object(["story_id": Schema.id, "action": actions], required: ["story_id", "action"]))
        document.addSchema(
            "StoryNavigationRequest",
            Schema.object(
                ["events": Schema.array(Schema.ref("StoryNavigationEvent"), minItems: 1, maxItems: StoryNavigationRequest.maxEvents)],
                required: ["events"]))
        document.addSchema(
            "StoryReplyRequest",
            Schema.object(
                ["envelopes": Schema.array(Schema.ref("OutgoingEnvelope"), minItems: 1, maxItems: SendMessageRequest.maxEnvelopes)],
                required: ["envelopes"]))
        document.addSchema("StoryNavigationResult", Schema.object(["accepted": Schema.integer(minimum: 0)], required: ["accepted"]))
        let count = Schema.integer(minimum: 0)
        let percent: JSONValue = ["type": "number", "minimum": 0]
        document.addSchema(
            "StoryInsights",
            Schema.object(
                [
                    "story_id": Schema.id, "total_views": count, "unique_viewers": count, "audience_size": count, "reach_percent": percent,
                    "interaction_rate_percent": percent, "peak_hour": Schema.timestamp, "peak_hour_views": count,
                    "sticker_interactions": Schema.map(of: count), "replies": count, "taps_forward": count, "taps_back": count, "exits": count,
                ],
                required: [
                    "story_id", "total_views", "unique_viewers", "audience_size", "peak_hour_views", "sticker_interactions", "replies",
                    "taps_forward", "taps_back", "exits",
                ]))
        document.addSchema(
            "CreateStoryRequest",
            Schema.object(
                [
                    "media_id": Schema.id, "caption": Schema.string(maxLength: settings.maxCaption), "audience": audience,
                    "hide_from": Schema.array(Schema.id, maxItems: settings.maxHideFrom),
                    "display_seconds": Schema.integer(minimum: 1, maximum: settings.maxImageSeconds),
                    "stickers": Schema.array(Schema.ref("StickerInput"), maxItems: StickerInputs.maxStickers), "reshare": Schema.ref("ReshareAnswer"),
                ],
                required: ["media_id"]))
        document.addSchema(
            "StoryTrayItem",
            Schema.object(
                [
                    "account": Schema.ref("Account"), "story_count": Schema.integer(minimum: 1), "unseen_count": Schema.integer(minimum: 0),
                    "latest_at": Schema.timestamp, "close_friends": Schema.boolean,
                ],
                required: ["account", "story_count", "unseen_count", "latest_at", "close_friends"]))
        document.addSchema("StoryTrayPage", Schema.page(of: "StoryTrayItem"))
        document.addSchema(
            "StoryViewer", Schema.object(["account": Schema.ref("Account"), "viewed_at": Schema.timestamp], required: ["account", "viewed_at"]))
        document.addSchema("StoryViewerPage", Schema.page(of: "StoryViewer"))
        document.addSchema(
            "ArchivedStory",
            Schema.object(
                [
                    "id": Schema.id, "caption": Schema.string(), "created_at": Schema.timestamp, "expires_at": Schema.timestamp,
                    "archived_at": Schema.timestamp,
                ],
                required: ["id", "caption", "created_at", "expires_at", "archived_at"]))
        document.addSchema("ArchivedStoryPage", Schema.page(of: "ArchivedStory"))
    }
}
