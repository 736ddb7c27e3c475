import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/presence…`: who is online, as each account's setting allows, and my own setting.
struct PresenceRoutes {
    let env: MessagingEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        signedIn.add(
            .get, "/api/v1/presence",
            APIOperation(
                "getPresence", "Whether accounts are online, and when they were last seen", tag: "messaging", access: .signedIn,
                response: "PresencePage", errors: [404, 422],
                query: [QueryParameter("id[]", Schema.array(Schema.id, minItems: 1, maxItems: Presence.maxAccountsPerRead), required: true, description: "Account IDs, repeated (1–100)")],
                description: "One item per ID, in the order asked. `visible: false` (nothing more) when the account hides its presence from me, is blocked either way, or is not active. Changes of the accounts I talk to arrive as `presence` events on my sockets.")
        ) { request, context in
            Reply(Page(items: try await Presence(env: env).of(try request.accountIDs(), caller: context.caller), nextCursor: nil))
        }
        signedIn.add(
            .get, "/api/v1/presence/settings",
            APIOperation("getPresenceSettings", "Who may see my presence", tag: "messaging", access: .signedIn, response: "PresenceSettings")
        ) { _, context in
            Reply(try await Presence(env: env).settings(caller: context.caller))
        }
        signedIn.add(
            .put, "/api/v1/presence/settings",
            APIOperation(
                "updatePresenceSettings", "Choose who may see my presence", tag: "messaging", access: .signedIn, body: "PresenceSettings",
                response: "PresenceSettings", errors: [422],
                description: "`everyone`, `contacts` (the default: accounts I follow or am friends with, and those whose direct conversation I accepted) or `nobody`.")
        ) { request, context in
            let form = try await request.decodeJSON(as: PresenceSettings.self, context: context)
            return Reply(try await Presence(env: env).update(form, caller: context.caller))
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "PresenceSettings", Schema.object(["visibility": Schema.string(values: PresenceVisibility.allCases.map(\.rawValue))], required: ["visibility"]))
        document.addSchema(
            "AccountPresence",
            Schema.object(
                ["account_id": Schema.id, "visible": Schema.boolean, "online": Schema.boolean, "last_seen_at": Schema.timestamp],
                required: ["account_id", "visible"]))
        document.addSchema("PresencePage", Schema.page(of: "AccountPresence"))
    }
}
