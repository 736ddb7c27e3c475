import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/suggestions/accounts`: people I may know and accounts to follow, and dismissing one.
struct SuggestionRoutes {
    let env: GraphEnvironment

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "SuggestionReason",
            Schema.object(
                ["kind": Schema.string(values: SuggestionReasonKind.allCases.map(\.rawValue)), "count": Schema.integer(minimum: 1)],
                required: ["kind", "count"]))
        document.addSchema(
            "AccountSuggestion",
            Schema.object(["account": Schema.ref("Account"), "reason": Schema.ref("SuggestionReason")], required: ["account", "reason"]))
        document.addSchema("AccountSuggestionPage", Schema.page(of: "AccountSuggestion"))
    }

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/suggestions/accounts",
            APIOperation(
                "accountSuggestions", "People I may know and accounts to follow", tag: "graph", access: .signedIn,
                response: "AccountSuggestionPage", errors: [422], query: [.limit],
                description: "Friends of my friends with how many we share (Entativa) and accounts followed by accounts I follow, strongest first, each with its reason; never anyone I follow, befriended, asked to follow, muted, blocked or was blocked by, or dismissed. One page, always whole (`next_cursor` is null).")
        ) { request, context in
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            try validator.validate()
            return Reply(try await Suggestions(env: env).list(caller: context.caller, limit: limit))
        }
        signedIn.add(
            .delete, "/api/v1/suggestions/accounts/{id}",
            APIOperation(
                "dismissAccountSuggestion", "Stop suggesting an account to me", tag: "graph", access: .signedIn, status: 204, errors: [404, 422])
        ) { _, context in
            try await Suggestions(env: env).dismiss(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
    }
}
