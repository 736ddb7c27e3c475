import EntativaCore
import EntativaModels
import Foundation
import Hummingbird

/// `/api/v1/search`.
struct SearchRoutes {
    let env: SearchEnvironment

    func register(anyone: APIRoutes<AppRequestContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        let maxQuery = env.settings.maxQuery
        let sections = SearchSection.allCases.map(\.rawValue)
        anyone.add(
            .get, "/api/v1/search",
            APIOperation(
                "search", "Search people, posts, Takes and hashtags", tag: "search", access: .anyone, response: "SearchResults", errors: [422],
                query: [
                    QueryParameter("q", Schema.string(minLength: 1, maxLength: maxQuery), required: true, description: """
                        Words, `#hashtags` and `@mentions`, 1–\(maxQuery) characters. The last word matches as a prefix unless the text \
                        ends in a space; words of five letters or more tolerate one typo; accents and case are ignored.
                        """),
                    QueryParameter("type", Schema.string(maxLength: 100), description: """
                        Comma-separated sections among \(sections.joined(separator: ", ")); default all. A `cursor` needs exactly one.
                        """),
                    QueryParameter("author", Schema.id, description: "Only posts and Takes by this account"),
                    QueryParameter("since", Schema.timestamp, description: "Only posts and Takes created at or after this instant"),
                    QueryParameter("until", Schema.timestamp, description: "Only posts and Takes created before this instant"),
                    QueryParameter("has_media", Schema.string(values: ["true", "false"]), description: "Only posts with (or without) media"),
                    QueryParameter("lat", Schema.number(minimum: -90, maximum: 90), description: "With `lon`: orders places by distance; with `km` too, only posts and Takes made that near"),
                    QueryParameter("lon", Schema.number(minimum: -180, maximum: 180), description: "With `lat`"),
                    QueryParameter("km", Schema.number(minimum: 0.001, maximum: Places.maxRadiusKm), description: "Radius around `lat`, `lon`, in kilometres"),
                    QueryParameter(
                        "min_engagement", Schema.integer(minimum: 0, maximum: Self.maxEngagement),
                        description: "Only posts and Takes with at least this many reactions, comments and shares together"),
                    .cursor, .limit,
                ],
                description: """
                    A page per section asked for. Accounts: the username typed in full first, then usernames starting with the first \
                    word, then by followers, among the best \(env.settings.rankedCandidates). Posts and Takes: newest first; a page \
                    looks at no more than \(env.settings.scanLimit) candidates and may then come back short with a cursor. Hashtags: \
                    named ones first, then by public uses. Nothing I may not see is shown, and no total is given.
                    """)
        ) { request, context in
            let search = try Self.parse(request, limits: limits, maxQuery: maxQuery)
            let results = try await UnifiedSearch(env: env).search(search, viewer: context.principal)
            try await SearchHistory(env: env).record(search, found: results, viewer: context.principal)
            return Reply(results)
        }
        registerAutocomplete(anyone: anyone)
        registerNearby(anyone: anyone)
    }

    private func registerNearby(anyone: APIRoutes<AppRequestContext>) {
        let env = self.env
        anyone.add(
            .get, "/api/v1/places/nearby",
            APIOperation(
                "listNearbyPlaces", "Places near a point, nearest first", tag: "search", access: .anyone, response: "PlaceHitPage", errors: [422],
                query: [
                    QueryParameter("lat", Schema.number(minimum: -90, maximum: 90), required: true, description: "Latitude"),
                    QueryParameter("lon", Schema.number(minimum: -180, maximum: 180), required: true, description: "Longitude"),
                    QueryParameter("km", Schema.number(minimum: 0.001, maximum: Places.maxRadiusKm), description: "Radius in kilometres (default 10)"),
                    .limit,
                ],
                description: "Places public posts by public accounts were made at, within the radius, with their distance. One page.")
        ) { request, _ in
            let query = request.uri.queryParameters
            var validator = Validator()
            let lat = Self.coordinate(query["lat"].map(String.init), field: "lat", in: -90...90, into: &validator)
            let lon = Self.coordinate(query["lon"].map(String.init), field: "lon", in: -180...180, into: &validator)
            validator.check(query["lat"] != nil, "lat", "required", "is required")
            validator.check(query["lon"] != nil, "lon", "required", "is required")
            let km = Self.coordinate(query["km"].map(String.init), field: "km", in: 0.001...Places.maxRadiusKm, into: &validator) ?? 10
            let limit = PageRequest.limit(of: request, limits: env.kernel.config.limits, into: &validator)
            try validator.validate()
            guard let lat, let lon else { throw AppError.invalid(field: "lat", code: "required", message: "is required") }
            return Reply(Page(items: try await Places(env: env).nearby(GeoPoint(lat: lat, lon: lon), km: km, limit: limit), nextCursor: nil))
        }
    }

    static let maxEngagement = 1_000_000_000

    private func registerAutocomplete(anyone: APIRoutes<AppRequestContext>) {
        let env = self.env
        let maxQuery = env.settings.maxQuery
        anyone.add(
            .get, "/api/v1/search/autocomplete",
            APIOperation(
                "autocomplete", "Suggestions while typing", tag: "search", access: .anyone, response: "AutocompleteResults", errors: [422],
                query: [
                    QueryParameter("q", Schema.string(minLength: 1, maxLength: maxQuery), required: true, description: """
                        What is typed so far, 1–\(maxQuery) characters; `#…` asks for hashtags only, `@…` for accounts only.
                        """),
                    QueryParameter("limit", Schema.integer(minimum: 1, maximum: Autocomplete.maxLimit), description: "Suggestions per kind, 1–\(Autocomplete.maxLimit) (default 8)"),
                ],
                description: """
                    Accounts whose username, a part of it or a word of their name starts with the first word (each further word must \
                    start another), most followed first, accounts I follow or am friends with first among equals; hashtags used \
                    publicly that start with the words run together, most used first. Only what I may see.
                    """)
        ) { request, context in
            let query = request.uri.queryParameters
            var validator = Validator()
            let text = query["q"].map(String.init) ?? ""
            validator.check(!text.isEmpty, "q", "required", "is required")
            validator.check(text.unicodeScalars.count <= maxQuery, "q", "too_long", "may be at most \(maxQuery) characters")
            var limit = 8
            if let given = query["limit"].map(String.init) {
                limit = OutsideInteger.parseInt(given, in: 1...Autocomplete.maxLimit) ?? 0
                validator.check(limit > 0, "limit", "out_of_range", "must be an integer from 1 to \(Autocomplete.maxLimit)")
            }
            try validator.validate()
            return Reply(try await Autocomplete(env: env).suggest(text, limit: limit, viewer: context.principal))
        }
    }

    static func parse(_ request: Request, limits: Limits, maxQuery: Int) throws -> SearchRequest {
        let query = request.uri.queryParameters
        var validator = Validator()
        let text = query["q"].map(String.init) ?? ""
        validator.check(!text.isEmpty, "q", "required", "is required")
        validator.check(text.unicodeScalars.count <= maxQuery, "q", "too_long", "may be at most \(maxQuery) characters")
        var search = SearchRequest(text: text)
        search.limit = PageRequest.limit(of: request, limits: limits, into: &validator)
        if let types = query["type"].map(String.init) {
            let names = types.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let parsed = names.compactMap(SearchSection.init(rawValue:))
            validator.check(
                names.count <= SearchSection.allCases.count && parsed.count == names.count, "type", "invalid",
                "must be sections among \(SearchSection.allCases.map(\.rawValue).joined(separator: ", ")), comma-separated")
            var seen: Set<SearchSection> = []
            search.sections = parsed.filter { seen.insert($0).inserted }
        }
        if let cursor = query["cursor"].map(String.init), !cursor.isEmpty {
            validator.check(search.sections.count == 1, "cursor", "one_section", "needs `type` to name exactly one section")
            validator.check(cursor.utf8.count <= 64, "cursor", "invalid", "is not a cursor")
            search.cursor = cursor
        }
        if let author = query["author"].map(String.init) {
            search.author = AccountID(author)
            validator.check(search.author != nil, "author", "invalid", "must be an account ID")
        }
        search.since = timestamp(query["since"].map(String.init), field: "since", into: &validator)
        search.until = timestamp(query["until"].map(String.init), field: "until", into: &validator)
        if let since = search.since, let until = search.until {
            validator.check(since < until, "until", "before_since", "must be after `since`")
        }
        if let text = query["has_media"].map(String.init) {
            validator.check(text == "true" || text == "false", "has_media", "invalid", "must be true or false")
            search.hasMedia = text == "true"
        }
        let lat = coordinate(query["lat"].map(String.init), field: "lat", in: -90...90, into: &validator)
        let lon = coordinate(query["lon"].map(String.init), field: "lon", in: -180...180, into: &validator)
        let km = coordinate(query["km"].map(String.init), field: "km", in: 0.001...Places.maxRadiusKm, into: &validator)
        let (hasLat, hasLon) = (query["lat"] != nil, query["lon"] != nil)
        validator.check(hasLat == hasLon, hasLat ? "lon" : "lat", "required", "`lat` and `lon` go together")
        validator.check(query["km"] == nil || (hasLat && hasLon), "km", "needs_point", "needs `lat` and `lon`")
        if let lat, let lon { search.near = GeoPoint(lat: lat, lon: lon) }
        search.radiusKm = km
        if let text = query["min_engagement"].map(String.init) {
            search.minEngagement = OutsideInteger.parseInt(text, in: 0...maxEngagement)
            validator.check(search.minEngagement != nil, "min_engagement", "out_of_range", "must be an integer from 0 to \(maxEngagement)")
        }
        try validator.validate()
        return search
    }

    /// A finite decimal number within `range`.
    static func coordinate(_ text: String?, field: String, in range: ClosedRange<Double>, into validator: inout Validator) -> Double? {
        guard let text else { return nil }
        guard text.utf8.count <= 32, let value = Double(text), value.isFinite, range.contains(value) else {
            validator.add(field, "out_of_range", "must be a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// An RFC 3339 instant, in milliseconds since 1970.
    private static func timestamp(_ text: String?, field: String, into validator: inout Validator) -> Int64? {
        guard let text else { return nil }
        let formats = [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()]
        guard text.utf8.count <= 64, let date = formats.lazy.compactMap({ try? $0.parse(text.uppercased()) }).first else {
            validator.add(field, "invalid", "must be an RFC 3339 date-time")
            return nil
        }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "HashtagHit",
            Schema.object(
                ["name": Schema.string(), "uses": Schema.integer(minimum: 0), "last_used_at": Schema.timestamp],
                required: ["name", "uses", "last_used_at"]))
        document.addSchema("HashtagHitPage", Schema.page(of: "HashtagHit"))
        document.addSchema(
            "PlaceHit",
            Schema.object(
                [
                    "id": Schema.id, "name": Schema.string(), "latitude": Schema.number(minimum: -90, maximum: 90),
                    "longitude": Schema.number(minimum: -180, maximum: 180), "uses": Schema.integer(minimum: 0),
                    "distance_km": Schema.number(minimum: 0),
                ],
                required: ["id", "name", "latitude", "longitude", "uses"]))
        document.addSchema("PlaceHitPage", Schema.page(of: "PlaceHit"))
        document.addSchema(
            "AutocompleteResults",
            Schema.object(
                [
                    "accounts": Schema.array(Schema.ref("Account")), "hashtags": Schema.array(Schema.ref("HashtagHit")),
                    "places": Schema.array(Schema.ref("PlaceHit")),
                ],
                required: ["accounts", "hashtags", "places"]))
        document.addSchema(
            "SearchResults",
            Schema.object([
                "accounts": Schema.ref("AccountPage"), "posts": Schema.ref("PostPage"), "takes": Schema.ref("TakePage"),
                "hashtags": Schema.ref("HashtagHitPage"), "places": Schema.ref("PlaceHitPage"),
            ]))
    }
}
