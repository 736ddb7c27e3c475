import EntativaModels
import Foundation

extension EntativaClient {
    /// My home timeline: posts of the accounts I follow (and, on Entativa, my friends) and my
    /// own, that I may see, in `order`, with how the page was ranked.
    public func homeTimeline(order: HomeOrder = .chronological, cursor: String? = nil, limit: Int? = nil) async throws -> HomePage {
        let query = [URLQueryItem(name: "order", value: order.rawValue)] + Self.pageQuery(cursor: cursor, limit: limit)
        return try await send("GET", "/api/v1/timelines/home", query: query)
    }
}

extension EntativaClient {
    /// Records what the user was shown (1–100 posts, with dwell times where known).
    public func recordImpressions(_ impressions: [ImpressionReport]) async throws -> ImpressionReceipt {
        try await send("POST", "/api/v1/timelines/impressions", body: RecordImpressionsRequest(impressions: impressions))
    }
}

extension EntativaClient {
    /// Trending public posts, each with why it is shown.
    public func explore(cursor: String? = nil, limit: Int? = nil) async throws -> Page<ExploreItem> {
        try await send("GET", "/api/v1/explore", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Vignette only: my close friends' and mutual follows' posts, newest first.
    public func circleTimeline(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Post> {
        try await send("GET", "/api/v1/timelines/circle", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Vignette only: posts from outside my network, each with why it was found.
    public func surpriseTimeline(cursor: String? = nil, limit: Int? = nil) async throws -> Page<SurpriseItem> {
        try await send("GET", "/api/v1/timelines/surprise", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Reports profiles my user opened (1–50), which count toward ranked homes' affinity.
    public func recordProfileViews(_ accounts: [AccountID]) async throws -> ImpressionReceipt {
        try await send("POST", "/api/v1/timelines/profile-views", body: RecordProfileViewsRequest(accountIds: accounts))
    }
}
