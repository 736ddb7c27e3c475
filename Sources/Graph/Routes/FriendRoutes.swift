import EntativaCore
import EntativaModels
import Hummingbird

/// Entativa's friendships: `/api/v1/friend-requests…`, `/api/v1/friends/{account_id}` and a profile's
/// friends. On Vignette these routes answer 404.
struct FriendRoutes {
    let env: GraphEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        signedIn.add(
            .post, "/api/v1/friend-requests",
            APIOperation(
                "sendFriendRequest", "Ask to be friends (Entativa)", tag: "friends", access: .signedIn, body: "SendFriendRequest",
                response: "Relationship", errors: [404, 409],
                description: "When the other account already asked you, you become friends at once. At most 50 a day (429), 200 waiting (409), 1,500 friends on either side (409). The request is then addressed by this `account_id` (cancel: `DELETE /api/v1/friend-requests/{account_id}`).").idempotent()
        ) { request, context in
            let form = try await request.decodeJSON(as: SendFriendRequest.self, context: context)
            return Reply(try await Friends(env: env).send(to: form.accountId, caller: context.caller))
        }
        signedIn.add(
            .get, "/api/v1/friend-requests",
            APIOperation(
                "listFriendRequests", "Friend requests waiting, to me or from me (Entativa)", tag: "friends", access: .signedIn,
                response: "FriendRequestPage", errors: [404],
                query: [
                    QueryParameter("direction", Schema.string(values: ["incoming", "outgoing"]), description: "incoming (default) or outgoing"),
                    .cursor, .limit,
                ])
        ) { request, context in
            let direction = request.uri.queryParameters["direction"].map(String.init) ?? "incoming"
            guard ["incoming", "outgoing"].contains(direction) else {
                throw AppError.invalid(field: "direction", code: "invalid", message: "must be incoming or outgoing")
            }
            let page = try PageRequest(request, limits: env.kernel.config.limits)
            return try await Friends(env: env).requests(caller: context.caller, incoming: direction == "incoming", page: page).reply(for: request)
        }
        // A request is addressed by the other account's ID, the one `sendFriendRequest` was given
        // (decision 0012); each answer is the relationship with that account.
        signedIn.add(
            .post, "/api/v1/friend-requests/{account_id}/accept",
            APIOperation(
                "acceptFriendRequest", "Accept the friend request this account sent me", tag: "friends", access: .signedIn,
                response: "Relationship", errors: [409], description: "`account_id` is the sender's account ID. 404 when no request from it waits.")
        ) { _, context in
            Reply(try await Friends(env: env).accept(from: try context.parameters.id("account_id"), caller: context.caller))
        }
        signedIn.add(
            .post, "/api/v1/friend-requests/{account_id}/decline",
            APIOperation(
                "declineFriendRequest", "Decline the friend request this account sent me", tag: "friends", access: .signedIn,
                response: "Relationship", description: "`account_id` is the sender's account ID. 404 when no request from it waits.")
        ) { _, context in
            Reply(try await Friends(env: env).decline(from: try context.parameters.id("account_id"), caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/friend-requests/{account_id}",
            APIOperation(
                "cancelFriendRequest", "Cancel the friend request I sent this account", tag: "friends", access: .signedIn,
                response: "Relationship", description: "`account_id` is the recipient's account ID, as sent. 404 when no request to it waits.")
        ) { _, context in
            Reply(try await Friends(env: env).cancel(to: try context.parameters.id("account_id"), caller: context.caller))
        }
        signedIn.add(
            .delete, "/api/v1/friends/{account_id}",
            APIOperation("unfriend", "End a friendship", tag: "friends", access: .signedIn, response: "Relationship")
        ) { _, context in
            Reply(try await Friends(env: env).unfriend(try context.parameters.id("account_id"), caller: context.caller))
        }
        anyone.add(
            .get, "/api/v1/accounts/{id}/friends",
            APIOperation(
                "listFriends", "A profile's friends (Entativa)", tag: "friends", access: .anyone, response: "AccountPage", errors: [403],
                query: [.cursor, .limit])
        ) { request, context in
            let page = try EdgePageRequest(request, limits: env.kernel.config.limits)
            return try await Friends(env: env).list(try context.parameters.id("id"), viewer: context.principal, page: page).reply(for: request)
        }
    }
}
