import EntativaModels
import Foundation

/// What narrows the posts and Takes a search finds.
public struct SearchFilters: Sendable, Equatable {
    public var author: AccountID?
    public var since: Date?
    public var until: Date?
    public var hasMedia: Bool?
    /// Reactions, comments and shares together.
    public var minEngagement: Int?
    /// A point: places are ordered by distance from it; with `radiusKm`, posts and Takes are
    /// only those made within it.
    public var near: (latitude: Double, longitude: Double)?
    public var radiusKm: Double?

    public init(
        author: AccountID? = nil, since: Date? = nil, until: Date? = nil, hasMedia: Bool? = nil, minEngagement: Int? = nil,
        near: (latitude: Double, longitude: Double)? = nil, radiusKm: Double? = nil
    ) {
        (self.author, self.since, self.until, self.hasMedia, self.minEngagement) = (author, since, until, hasMedia, minEngagement)
        (self.near, self.radiusKm) = (near, radiusKm)
    }

    public static func == (a: SearchFilters, b: SearchFilters) -> Bool {
        (a.author, a.since, a.until, a.hasMedia, a.minEngagement, a.radiusKm) == (b.author, b.since, b.until, b.hasMedia, b.minEngagement, b.radiusKm)
            && a.near?.latitude == b.near?.latitude && a.near?.longitude == b.near?.longitude
    }

    var query: [URLQueryItem] {
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var items: [URLQueryItem] = []
        if let author { items.append(URLQueryItem(name: "author", value: author.description)) }
        if let since { items.append(URLQueryItem(name: "since", value: since.formatted(format))) }
        if let until { items.append(URLQueryItem(name: "until", value: until.formatted(format))) }
        if let hasMedia { items.append(URLQueryItem(name: "has_media", value: hasMedia ? "true" : "false")) }
        if let minEngagement { items.append(URLQueryItem(name: "min_engagement", value: String(minEngagement))) }
        if let near {
            items.append(URLQueryItem(name: "lat", value: String(near.latitude)))
            items.append(URLQueryItem(name: "lon", value: String(near.longitude)))
        }
        if let radiusKm { items.append(URLQueryItem(name: "km", value: String(radiusKm))) }
        return items
    }
}

extension EntativaClient {
    /// Searches people, posts, Takes and hashtags: a page per section asked for. To page one
    /// section, pass that section alone with its `next_cursor`.
    public func search(
        _ text: String, sections: [SearchSection] = SearchSection.allCases, filters: SearchFilters = SearchFilters(), cursor: String? = nil,
        limit: Int? = nil
    ) async throws -> SearchResults {
        var query = [URLQueryItem(name: "q", value: text), URLQueryItem(name: "type", value: sections.map(\.rawValue).joined(separator: ","))]
        query += filters.query + Self.pageQuery(cursor: cursor, limit: limit)
        return try await send("GET", "/api/v1/search", query: query, auth: .optional)
    }
}

extension EntativaClient {
    /// Accounts and hashtags starting with what is typed so far (`#…` for hashtags only, `@…`
    /// for accounts only), 1–20 of each.
    public func autocomplete(_ text: String, limit: Int? = nil) async throws -> AutocompleteResults {
        var query = [URLQueryItem(name: "q", value: text)]
        if let limit { query.append(URLQueryItem(name: "limit", value: String(limit))) }
        return try await send("GET", "/api/v1/search/autocomplete", query: query, auth: .optional)
    }
}

extension EntativaClient {
    /// Trending hashtags as last counted, best first.
    public func trendingHashtags(limit: Int? = nil) async throws -> Page<HashtagTrend> {
        try await send("GET", "/api/v1/trends/hashtags", query: Self.pageQuery(cursor: nil, limit: limit), auth: .optional)
    }

    /// Hashtags public posts use together with `name` (without `#`).
    public func relatedHashtags(_ name: String, limit: Int? = nil) async throws -> Page<RelatedHashtag> {
        let escaped = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
        return try await send("GET", "/api/v1/hashtags/\(escaped)/related", query: Self.pageQuery(cursor: nil, limit: limit), auth: .optional)
    }
}

extension EntativaClient {
    /// My recent searches, newest first.
    public func searchHistory(cursor: String? = nil, limit: Int? = nil) async throws -> Page<SearchHistoryEntry> {
        try await send("GET", "/api/v1/search/history", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func deleteSearchHistoryEntry(_ id: SearchHistoryID) async throws {
        _ = try await send("DELETE", "/api/v1/search/history/\(id)", as: Empty.self)
    }

    public func clearSearchHistory() async throws {
        _ = try await send("DELETE", "/api/v1/search/history", as: Empty.self)
    }

    public func searchHistorySettings() async throws -> SearchHistorySettings {
        try await send("GET", "/api/v1/search/history/settings")
    }

    /// Turning history off also forgets what it held.
    public func updateSearchHistorySettings(_ settings: SearchHistorySettings) async throws -> SearchHistorySettings {
        try await send("PUT", "/api/v1/search/history/settings", body: settings)
    }

    /// Top (or zero-result) folded queries of the last `days` days; moderators and administrators.
    public func searchQueries(zeroResults: Bool = false, days: Int? = nil, limit: Int? = nil) async throws -> Page<SearchQueryStat> {
        var query = Self.pageQuery(cursor: nil, limit: limit)
        query.append(URLQueryItem(name: "kind", value: zeroResults ? "zero_results" : "top"))
        if let days { query.append(URLQueryItem(name: "days", value: String(days))) }
        return try await send("GET", "/api/v1/admin/search/queries", query: query)
    }
}

extension EntativaClient {
    /// Places within `km` (default 10) of a point, nearest first, with their distances.
    public func nearbyPlaces(latitude: Double, longitude: Double, km: Double? = nil, limit: Int? = nil) async throws -> Page<PlaceHit> {
        var query = [URLQueryItem(name: "lat", value: String(latitude)), URLQueryItem(name: "lon", value: String(longitude))]
        if let km { query.append(URLQueryItem(name: "km", value: String(km))) }
        query += Self.pageQuery(cursor: nil, limit: limit)
        return try await send("GET", "/api/v1/places/nearby", query: query, auth: .optional)
    }
}
