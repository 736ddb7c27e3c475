import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/timelines/home`.
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
                ],
                required: ["order", "terms", "left_out"]))
        document.addSchema(
            "HomePage",
            Schema.object(
                ["items": Schema.array(Schema.ref("Post")), "next_cursor": Schema.nullable(Schema.string()), "ranking": Schema.ref("HomeRanking")],
                required: ["items", "next_cursor", "ranking"]))
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
    }

    /// Chronological pages use the usual cursor; ranked ones their own (`RankedCursor`).
    static func page(_ order: HomeOrder, _ request: Request, limits: Limits) throws -> HomePageRequest {
        switch order {
        case .chronological:
            return .chronological(try PageRequest(request, limits: limits))
        case .engagement, .ranked:
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            var cursor: RankedCursor?
            if let text = request.uri.queryParameters["cursor"].map(String.init), !text.isEmpty {
                cursor = RankedCursor(text)
                validator.check(cursor != nil, "cursor", "invalid", "is not a cursor this server gave out for this order")
            }
            try validator.validate()
            return .ranked(order, cursor: cursor, limit: limit)
        }
    }
}
