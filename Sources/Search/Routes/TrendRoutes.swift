import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/trends/hashtags` and `/api/v1/hashtags/{name}/related`.
struct TrendRoutes {
    let env: SearchEnvironment

    func register(anyone: APIRoutes<AppRequestContext>) {
        let env = self.env
        let settings = env.settings
        let limit = QueryParameter("limit", Schema.integer(minimum: 1, maximum: settings.maxTrends), description: "1–\(settings.maxTrends) (default 20)")
        anyone.add(
            .get, "/api/v1/trends/hashtags",
            APIOperation(
                "listHashtagTrends", "Trending hashtags", tag: "search", access: .anyone, response: "HashtagTrendPage", errors: [422], query: [limit],
                description: """
                    As the trends job last counted them (every \(settings.trendInterval.components.seconds) s) over public posts by public \
                    accounts in the last \(settings.trendWindowHours) h: at least \(settings.trendMinAccounts) accounts and \
                    \(settings.trendMinUses) uses; ranked by uses halved every \(Int(settings.trendHalfLifeHours)) h of age times the growth \
                    over the window before (capped at ×4). One page.
                    """)
        ) { request, _ in
            let count = try Self.limit(request, maximum: settings.maxTrends)
            return Reply(Page(items: try await HashtagTrends(env: env).list(limit: count), nextCursor: nil))
        }
        anyone.add(
            .get, "/api/v1/hashtags/{name}/related",
            APIOperation(
                "listRelatedHashtags", "Hashtags used with this one", tag: "search", access: .anyone, response: "RelatedHashtagPage",
                errors: [404, 422], query: [limit],
                description: """
                    Hashtags at least \(RelatedHashtags.minimumTogether) of its newest \(RelatedHashtags.window) public posts also use, by \
                    together ÷ √(its uses × theirs). 404 when no public post uses it. One page.
                    """)
        ) { request, context in
            let count = try Self.limit(request, maximum: settings.maxTrends)
            guard let name = context.parameters.get("name"), !name.isEmpty, name.unicodeScalars.count <= 101 else { throw AppError.notFound("hashtag") }
            return Reply(Page(items: try await RelatedHashtags(env: env).related(to: name, limit: count), nextCursor: nil))
        }
    }

    private static func limit(_ request: Request, maximum: Int) throws -> Int {
        guard let text = request.uri.queryParameters["limit"].map(String.init) else { return min(20, maximum) }
        guard let value = OutsideInteger.parseInt(text, in: 1...maximum) else {
            throw AppError.invalid(field: "limit", code: "out_of_range", message: "must be an integer from 1 to \(maximum)")
        }
        return value
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let count = Schema.integer(minimum: 0)
        let number: JSONValue = ["type": "number"]
        document.addSchema(
            "HashtagTrend",
            Schema.object(
                [
                    "rank": Schema.integer(minimum: 1), "name": Schema.string(), "uses": count, "accounts": count, "previous_uses": count,
                    "growth_percent": number, "score": number, "computed_at": Schema.timestamp,
                ],
                required: ["rank", "name", "uses", "accounts", "previous_uses", "growth_percent", "score", "computed_at"]))
        document.addSchema("HashtagTrendPage", Schema.page(of: "HashtagTrend"))
        document.addSchema(
            "RelatedHashtag",
            Schema.object(["name": Schema.string(), "together": count, "score": number], required: ["name", "together", "score"]))
        document.addSchema("RelatedHashtagPage", Schema.page(of: "RelatedHashtag"))
    }
}
