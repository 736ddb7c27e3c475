import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/timelines/home`.
struct FeedRoutes {
    let env: FeedEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/timelines/home",
            APIOperation(
                "homeTimeline", "My home timeline", tag: "feed", access: .signedIn, response: "PostPage", errors: [422],
                query: [
                    QueryParameter(
                        "order", Schema.string(values: HomeOrder.allCases.map(\.rawValue)),
                        description: "chronological (default): newest first; engagement: by reactions + 2 × comments + 3 × shares with a daily decay, within windows of the 200 newest posts"),
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
            return try await HomeTimeline(env: env).read(viewer: context.caller, page: try Self.page(order, request, limits: limits)).reply(for: request)
        }
    }

    /// Chronological pages use the usual cursor; ranked ones their own (`RankedCursor`).
    static func page(_ order: HomeOrder, _ request: Request, limits: Limits) throws -> HomePageRequest {
        switch order {
        case .chronological:
            return .chronological(try PageRequest(request, limits: limits))
        case .engagement:
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
