import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/takes/trends…`.
struct TrendRoutes {
    let env: TakesEnvironment

    func register(anyone: APIRoutes<AppRequestContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        anyone.add(
            .get, "/api/v1/takes/trends",
            APIOperation(
                "listTakeTrends", "Growing trends", tag: "takes", access: .anyone, response: "TakeTrendPage", errors: [422],
                query: [
                    QueryParameter("kind", Schema.string(values: TrendKind.allCases.map(\.rawValue)), description: "Only trends of this kind"),
                    .limit,
                ],
                description: """
                    Trends with at least \(env.settings.trendMinCreators) creators that are growing (as many joins in the last day as in the day \
                    before, and some), most joins in the last day first, as the detection job last counted them; at most \(Trends.maxTrending). \
                    Only trends with a Take I may see.
                    """)
        ) { request, context in
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            var kind: TrendKind?
            if let text = request.uri.queryParameters["kind"].map(String.init) {
                kind = TrendKind(rawValue: text)
                validator.check(kind != nil, "kind", "invalid", TrendKind.allowedValuesMessage)
            }
            try validator.validate()
            return try await Trends(env: env).trending(kind: kind, viewer: context.principal, limit: limit).reply(for: request)
        }
        anyone.add(
            .get, "/api/v1/takes/trends/{id}",
            APIOperation(
                "getTakeTrend", "A trend's page", tag: "takes", access: .anyone, response: "TakeTrend",
                description: "Its originator and origin Take (when I may see them), participants, growth per hour and per day, and when it started. 404 unless I may see one of its Takes.")
        ) { _, context in
            Reply(try await Trends(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        anyone.add(
            .get, "/api/v1/takes/trends/{id}/takes",
            APIOperation(
                "listTrendTakes", "A trend's Takes, best first", tag: "takes", access: .anyone, response: "TakePage", errors: [422],
                query: [.cursor, .limit],
                description: "Those I may see among its newest \(Trends.rankedWindow), by the Takes feed's score without affinity (docs/takes.md).")
        ) { request, context in
            let (cursor, limit) = try TakeRoutes.rankedPage(request, limits: limits)
            let page = try await Trends(env: env).takes(in: try context.parameters.id("id"), viewer: context.principal, cursor: cursor, limit: limit)
            return Reply(page, headers: PageLink.next(page.nextCursor, for: request))
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let count = Schema.integer(minimum: 0)
        let percent: JSONValue = ["type": "number"]
        document.addSchema(
            "TakeTrend",
            Schema.object(
                [
                    "id": Schema.id, "kind": Schema.string(values: TrendKind.allCases.map(\.rawValue)), "key": Schema.string(),
                    "originator": Schema.ref("Account"), "origin_take": Schema.ref("Take"), "participants": count, "takes": count,
                    "joins_last_hour": count, "joins_previous_hour": count, "joins_last_day": count, "joins_previous_day": count,
                    "growth_per_hour_percent": percent, "growth_per_day_percent": percent, "growing": Schema.boolean,
                    "started_at": Schema.timestamp, "computed_at": Schema.timestamp,
                ],
                required: [
                    "id", "kind", "key", "participants", "takes", "joins_last_hour", "joins_previous_hour", "joins_last_day", "joins_previous_day",
                    "growing", "started_at",
                ]))
        document.addSchema("TakeTrendPage", Schema.page(of: "TakeTrend"))
    }
}
