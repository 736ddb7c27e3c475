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
                    QueryParameter("order", Schema.string(values: HomeOrder.allCases.map(\.rawValue)), description: "chronological (default): newest first"),
                    .cursor, .limit,
                ],
                description: "Posts of the accounts I follow (and, on Entativa, my friends) and my own, newest first, that I may see; muted accounts left out. Shares appear as shares. Cursor pages reach back to the first post of everyone I follow.")
        ) { request, context in
            var order = HomeOrder.chronological
            if let text = request.uri.queryParameters["order"].map(String.init) {
                guard let chosen = HomeOrder(rawValue: text) else {
                    throw AppError.invalid(field: "order", code: "invalid", message: HomeOrder.allowedValuesMessage)
                }
                order = chosen
            }
            let page = try PageRequest(request, limits: limits)
            return try await HomeTimeline(env: env).read(viewer: context.caller, order: order, page: page).reply(for: request)
        }
    }
}
