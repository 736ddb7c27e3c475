import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/search/history…` and `/api/v1/admin/search/queries`.
struct HistoryRoutes {
    let env: SearchEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/search/history",
            APIOperation(
                "listSearchHistory", "My recent searches, newest first", tag: "search", access: .signedIn, response: "SearchHistoryEntryPage",
                errors: [422], query: [.cursor, .limit],
                description: "The first page of each search I make while history is on; a repeated query moves to the top; the newest \(SearchHistory.kept) are kept.")
        ) { request, context in
            try await SearchHistory(env: env).list(context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
        signedIn.add(
            .delete, "/api/v1/search/history/{id}",
            APIOperation("deleteSearchHistoryEntry", "Forget one search", tag: "search", access: .signedIn, status: 204, errors: [404])
        ) { _, context in
            let id: SearchHistoryID = try context.parameters.id("id")
            try await SearchHistory(env: env).delete(id, caller: context.caller)
            return Response.noContent
        }
        signedIn.add(
            .delete, "/api/v1/search/history",
            APIOperation("clearSearchHistory", "Forget all my searches", tag: "search", access: .signedIn, status: 204)
        ) { _, context in
            try await SearchHistory(env: env).clear(context.caller)
            return Response.noContent
        }
        signedIn.add(
            .get, "/api/v1/search/history/settings",
            APIOperation("getSearchHistorySettings", "Whether my searches are remembered", tag: "search", access: .signedIn, response: "SearchHistorySettings")
        ) { _, context in
            Reply(try await SearchHistory(env: env).settings(context.caller))
        }
        signedIn.add(
            .put, "/api/v1/search/history/settings",
            APIOperation(
                "updateSearchHistorySettings", "Turn search history on or off", tag: "search", access: .signedIn, body: "SearchHistorySettings",
                response: "SearchHistorySettings", errors: [422], description: "Turning it off also forgets what it held.")
        ) { request, context in
            let form = try await request.decodeJSON(as: SearchHistorySettings.self, context: context)
            return Reply(try await SearchHistory(env: env).update(context.caller, form))
        }
        signedIn.add(
            .get, "/api/v1/admin/search/queries",
            APIOperation(
                "listSearchQueries", "Top or zero-result queries (moderators)", tag: "admin", access: .signedIn, response: "SearchQueryStatPage",
                errors: [403, 422],
                query: [
                    QueryParameter("kind", Schema.string(values: ["top", "zero_results"]), description: "`top` (default) or `zero_results`"),
                    QueryParameter("days", Schema.integer(minimum: 1, maximum: Int(SearchHistory.statsDays)), description: "Days counted back from today, 1–90 (default 7)"),
                    .limit,
                ],
                description: "Folded queries searched at least \(SearchHistory.minimumSearches) times in the period, by searches or by searches that found nothing. One page.")
        ) { request, context in
            let query = request.uri.queryParameters
            var validator = Validator()
            let kind = query["kind"].map(String.init) ?? "top"
            validator.check(kind == "top" || kind == "zero_results", "kind", "invalid", "must be top or zero_results")
            var days = 7
            if let text = query["days"].map(String.init) {
                days = OutsideInteger.parseInt(text, in: 1...90) ?? 0
                validator.check(days > 0, "days", "out_of_range", "must be an integer from 1 to 90")
            }
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            try validator.validate()
            let stats = try await SearchHistory(env: env).queries(context.caller, zeroResults: kind == "zero_results", days: days, limit: limit)
            return Reply(Page(items: stats, nextCursor: nil))
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "SearchHistoryEntry",
            Schema.object(["id": Schema.id, "query": Schema.string(), "created_at": Schema.timestamp], required: ["id", "query", "created_at"]))
        document.addSchema("SearchHistoryEntryPage", Schema.page(of: "SearchHistoryEntry"))
        document.addSchema("SearchHistorySettings", Schema.object(["enabled": Schema.boolean], required: ["enabled"]))
        document.addSchema(
            "SearchQueryStat",
            Schema.object(
                ["query": Schema.string(), "searches": Schema.integer(minimum: 0), "zero_results": Schema.integer(minimum: 0)],
                required: ["query", "searches", "zero_results"]))
        document.addSchema("SearchQueryStatPage", Schema.page(of: "SearchQueryStat"))
    }
}
