import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/timelines/home`, `…/circle`, `…/surprise`, `…/impressions` and `/api/v1/explore`.
struct FeedRoutes {
    let env: FeedEnvironment

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "HomeRanking",
            Schema.object(
                [
                    "order": Schema.string(values: HomeOrder.allCases.map(\.rawValue)),
                    "terms": Schema.map(of: ["type": "number", "minimum": 0, "maximum": 1]),
                    "left_out": Schema.array(Schema.string(values: ["model"])),
                    "model_version": Schema.nullable(Schema.integer(minimum: 1)),
                ],
                required: ["order", "terms", "left_out", "model_version"]))
        document.addSchema(
            "HomePage",
            Schema.object(
                ["items": Schema.array(Schema.ref("Post")), "next_cursor": Schema.nullable(Schema.string()), "ranking": Schema.ref("HomeRanking")],
                required: ["items", "next_cursor", "ranking"]))
        document.addSchema(
            "ExploreReason",
            Schema.object(
                [
                    "kind": Schema.string(values: ExploreReasonKind.allCases.map(\.rawValue)), "engagement": Schema.integer(minimum: 0),
                    "per_hour": ["type": "number", "minimum": 0],
                ],
                required: ["kind", "engagement", "per_hour"]))
        document.addSchema(
            "ExploreItem", Schema.object(["post": Schema.ref("Post"), "reason": Schema.ref("ExploreReason")], required: ["post", "reason"]))
        document.addSchema("ExploreItemPage", Schema.page(of: "ExploreItem"))
        document.addSchema(
            "SurpriseReason",
            Schema.object(
                [
                    "kind": Schema.string(values: SurpriseReasonKind.allCases.map(\.rawValue)), "accounts": Schema.integer(minimum: 1),
                    "hashtag": Schema.string(), "growth": ["type": "number", "minimum": 1], "engagement": Schema.integer(minimum: 0),
                ],
                required: ["kind", "engagement"]))
        document.addSchema(
            "SurpriseItem", Schema.object(["post": Schema.ref("Post"), "reason": Schema.ref("SurpriseReason")], required: ["post", "reason"]))
        document.addSchema("SurpriseItemPage", Schema.page(of: "SurpriseItem"))
        document.addSchema(
            "ImpressionReport",
            Schema.object(
                ["post_id": Schema.id, "dwell_ms": Schema.integer(minimum: 0, maximum: ImpressionReport.maxDwellMs)], required: ["post_id"]))
        document.addSchema(
            "RecordImpressionsRequest",
            Schema.object(
                ["impressions": Schema.array(Schema.ref("ImpressionReport"), minItems: 1, maxItems: RecordImpressionsRequest.maxImpressions)],
                required: ["impressions"]))
        document.addSchema(
            "RecordProfileViewsRequest",
            Schema.object(
                ["account_ids": Schema.array(Schema.id, minItems: 1, maxItems: RecordProfileViewsRequest.maxViews)], required: ["account_ids"]))
        document.addSchema(
            "ImpressionReceipt",
            Schema.object(
                ["recorded": Schema.integer(minimum: 0), "ignored": Schema.integer(minimum: 0)], required: ["recorded", "ignored"]))
    }

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/timelines/home",
            APIOperation(
                "homeTimeline", "My home timeline", tag: "feed", access: .signedIn, response: "HomePage", errors: [422],
                query: [
                    QueryParameter(
                        "order", Schema.string(values: HomeOrder.allCases.map(\.rawValue)),
                        description: "chronological (default): newest first; engagement: by reactions + 2 × comments + 3 × shares with a daily decay; ranked: recency, engagement and my affinity with the author (docs/feed.md) — the last two within windows of the 200 newest posts"),
                    .cursor, .limit,
                ],
                description: "Posts of the accounts I follow (and, on Entativa, my friends) and my own that I may see; muted accounts left out. Shares appear as shares. Cursor pages reach back to the first post of everyone I follow. A cursor belongs to the order that gave it.")
        ) { request, context in
            var order = HomeOrder.chronological
            if let text = request.uri.queryParameters["order"].map(String.init) {
                guard let chosen = HomeOrder(rawValue: text) else {
                    throw AppError.invalid(field: "order", code: "invalid", message: HomeOrder.allowedValuesMessage)
                }
                order = chosen
            }
            let page = try await HomeTimeline(env: env).read(viewer: context.caller, page: try Self.page(order, request, limits: limits))
            return Reply(page, headers: PageLink.next(page.nextCursor, for: request))
        }
        signedIn.add(
            .get, "/api/v1/explore",
            APIOperation(
                "explore", "Trending public posts", tag: "feed", access: .signedIn, response: "ExploreItemPage", errors: [422],
                query: [.cursor, .limit],
                description: "Public posts of the last 7 days that I may see, by engagement velocity (docs/feed.md), at most two per author, without my own, muted authors' or posts I was already shown; each with its reason.")
        ) { request, context in
            let (cursor, limit) = try Self.rankedPage(request, limits: limits, of: "explore")
            let page = try await Explore(env: env).read(viewer: context.caller, cursor: cursor, limit: limit)
            return Reply(page, headers: PageLink.next(page.nextCursor, for: request))
        }
        signedIn.add(
            .get, "/api/v1/timelines/circle",
            APIOperation(
                "circleTimeline", "My circle (Vignette)", tag: "feed", access: .signedIn, response: "PostPage", errors: [404, 422],
                query: [.cursor, .limit],
                description: "Vignette only (404 on Entativa): the posts of my close friends and of the accounts I follow that follow me back, newest first, that I may see; muted accounts left out.")
        ) { request, context in
            let page = try await Circle(env: env).read(viewer: context.caller, page: try PageRequest(request, limits: limits))
            return Reply(page, headers: PageLink.next(page.nextCursor, for: request))
        }
        signedIn.add(
            .get, "/api/v1/timelines/surprise",
            APIOperation(
                "surpriseTimeline", "Posts from outside my network (Vignette)", tag: "feed", access: .signedIn, response: "SurpriseItemPage",
                errors: [404, 422], query: [.cursor, .limit],
                description: "Vignette only (404 on Entativa): public posts of the last 7 days by accounts that accounts I follow follow, or using the fastest-growing hashtags, by engagement velocity with a boost for why each was found (docs/feed.md); at most two per author; never by anyone I follow, muted or blocked, never mine, shares or posts I was already shown; each with its reason.")
        ) { request, context in
            let (cursor, limit) = try Self.rankedPage(request, limits: limits, of: "the surprise feed")
            let page = try await Surprise(env: env).read(viewer: context.caller, cursor: cursor, limit: limit)
            return Reply(page, headers: PageLink.next(page.nextCursor, for: request))
        }
        signedIn.add(
            .post, "/api/v1/timelines/profile-views",
            APIOperation(
                "recordProfileViews", "Record profiles I looked at", tag: "feed", access: .signedIn, body: "RecordProfileViewsRequest",
                response: "ImpressionReceipt", errors: [422],
                description: "1–50 accounts whose profiles I opened. One view of an account a day adds to my affinity with it (ranked homes); my own profile, accounts I may not see and repeats are ignored, and counted as such without saying which.")
        ) { request, context in
            let form = try await request.decodeJSON(as: RecordProfileViewsRequest.self, context: context)
            return Reply(try await ProfileViews(env: env).record(form, viewer: context.caller))
        }
        signedIn.add(
            .post, "/api/v1/timelines/impressions",
            APIOperation(
                "recordImpressions", "Record what I was shown", tag: "feed", access: .signedIn, body: "RecordImpressionsRequest",
                response: "ImpressionReceipt", errors: [422],
                description: "1–100 posts shown to me, with how long each stayed on screen where the client knows it. The first showing of each post is kept (a repeat only lengthens its dwell); posts I may not see or wrote are ignored. Ranked homes sink posts already shown, and the engagement model learns from what I then reacted to, commented on or shared.")
        ) { request, context in
            let form = try await request.decodeJSON(as: RecordImpressionsRequest.self, context: context)
            return Reply(try await Impressions(env: env).record(form, viewer: context.caller))
        }
    }

    /// A limit and a ranked cursor, each checked.
    static func rankedPage(_ request: Request, limits: Limits, of list: String) throws -> (RankedCursor?, Int) {
        var validator = Validator()
        let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
        var cursor: RankedCursor?
        if let text = request.uri.queryParameters["cursor"].map(String.init), !text.isEmpty {
            cursor = RankedCursor(text)
            validator.check(cursor != nil, "cursor", "invalid", "is not a cursor this server gave out for \(list)")
        }
        try validator.validate()
        return (cursor, limit)
    }

    /// Chronological pages use the usual cursor; ranked ones their own (`RankedCursor`).
    static func page(_ order: HomeOrder, _ request: Request, limits: Limits) throws -> HomePageRequest {
        switch order {
        case .chronological:
            return .chronological(try PageRequest(request, limits: limits))
        case .engagement, .ranked:
            let (cursor, limit) = try rankedPage(request, limits: limits, of: "this order")
            return .ranked(order, cursor: cursor, limit: limit)
        }
    }
}
