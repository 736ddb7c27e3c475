import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/accounts/{id}/follow|block|mute|close-friend|followers|following`, follow requests,
/// the caller's own lists, and relationships.
struct GraphRoutes {
    let env: GraphEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let page: [QueryParameter] = [.cursor, .limit]
        func relationship(_ id: String, _ summary: String, errors: [Int] = [], status: Int = 200) -> APIOperation {
            APIOperation(id, summary, tag: "graph", access: .signedIn, status: status, response: "Relationship", errors: errors)
        }

        signedIn.add(.post, "/api/v1/accounts/{id}/follow", relationship("follow", "Follow, or ask to follow a private account", errors: [409, 422])) { _, context in
            Reply(try await Follows(env: env).follow(try context.parameters.id("id"), caller: context.caller))
        }
        signedIn.add(.delete, "/api/v1/accounts/{id}/follow", relationship("unfollow", "Stop following or withdraw a request", errors: [422])) { _, context in
            Reply(try await Follows(env: env).unfollow(try context.parameters.id("id"), caller: context.caller))
        }
        signedIn.add(.delete, "/api/v1/accounts/{id}/follower", relationship("removeFollower", "Make an account stop following me")) { _, context in
            Reply(try await Follows(env: env).removeFollower(try context.parameters.id("id"), caller: context.caller))
        }
        for (verb, name, on) in [("block", "Block", true), ("mute", "Mute", true), ("close-friend", "Add to close friends", true)] {
            let add = relationship("\(verb.replacingOccurrences(of: "-", with: "_"))Account", name, errors: [422])
            signedIn.add(.post, "/api/v1/accounts/{id}/\(verb)", add) { _, context in
                let id: AccountID = try context.parameters.id("id")
                let blocks = Blocks(env: env)
                switch verb {
                case "block": return Reply(try await blocks.block(id, caller: context.caller))
                case "mute": return Reply(try await blocks.mute(id, caller: context.caller, muted: on))
                default: return Reply(try await blocks.closeFriend(id, caller: context.caller, included: on))
                }
            }
            let remove = relationship("un\(verb.replacingOccurrences(of: "-", with: "_"))Account", "Undo: \(name.lowercased())", errors: [422])
            signedIn.add(.delete, "/api/v1/accounts/{id}/\(verb)", remove) { _, context in
                let id: AccountID = try context.parameters.id("id")
                let blocks = Blocks(env: env)
                switch verb {
                case "block": return Reply(try await blocks.unblock(id, caller: context.caller))
                case "mute": return Reply(try await blocks.mute(id, caller: context.caller, muted: false))
                default: return Reply(try await blocks.closeFriend(id, caller: context.caller, included: false))
                }
            }
        }
        for (path, followers) in [("followers", true), ("following", false)] {
            anyone.add(
                .get, "/api/v1/accounts/{id}/\(path)",
                APIOperation(
                    followers ? "listFollowers" : "listFollowing", followers ? "Who follows the account" : "Whom the account follows",
                    tag: "graph", access: .anyone, response: "AccountPage", errors: [403], query: page)
            ) { request, context in
                let page = try EdgePageRequest(request, limits: env.kernel.config.limits)
                return try await Follows(env: env).list(try context.parameters.id("id"), followers: followers, viewer: context.principal, page: page)
                    .reply(for: request)
            }
        }
        signedIn.add(
            .get, "/api/v1/follow-requests",
            APIOperation("listFollowRequests", "Who asked to follow me", tag: "graph", access: .signedIn, response: "FollowRequestPage", query: page)
        ) { request, context in
            try await Follows(env: env).requests(caller: context.caller, page: try EdgePageRequest(request, limits: env.kernel.config.limits))
                .reply(for: request)
        }
        // Addressed by the requester's account ID, as friend requests are (decision 0012).
        var approve = relationship("approveFollowRequest", "Let this account follow me")
        approve.description = "`account_id` is the requester's account ID. 404 when no request from it waits."
        signedIn.add(.post, "/api/v1/follow-requests/{account_id}/approve", approve) { _, context in
            Reply(try await Follows(env: env).approve(try context.parameters.id("account_id"), caller: context.caller))
        }
        var reject = relationship("rejectFollowRequest", "Turn down this account's follow request")
        reject.description = approve.description
        signedIn.add(.post, "/api/v1/follow-requests/{account_id}/reject", reject) { _, context in
            Reply(try await Follows(env: env).reject(try context.parameters.id("account_id"), caller: context.caller))
        }
        for (path, edge, id) in [("blocks", Edge.block, "listBlocks"), ("mutes", Edge.mute, "listMutes"), ("close-friends", Edge.closeFriend, "listCloseFriends")] {
            signedIn.add(
                .get, "/api/v1/\(path)",
                APIOperation(id, "My \(path.replacingOccurrences(of: "-", with: " ")) list", tag: "graph", access: .signedIn, response: "AccountPage", query: page)
            ) { request, context in
                try await Blocks(env: env).list(edge, caller: context.caller, page: try EdgePageRequest(request, limits: env.kernel.config.limits))
                    .reply(for: request)
            }
        }
        signedIn.add(
            .get, "/api/v1/accounts/relationships",
            APIOperation(
                "getRelationships", "How I stand with each of the accounts named", tag: "graph", access: .signedIn,
                response: "RelationshipPage",
                query: [QueryParameter("id[]", Schema.array(Schema.id, maxItems: 100), required: true, description: "Account IDs, repeated")],
                description: "One item per ID, in the order asked; the page is complete (`next_cursor` is null).")
        ) { request, context in
            Page(items: try await Relationships(env: env).many(try request.accountIDs(), caller: context.caller), nextCursor: nil).reply(for: request)
        }
    }
}
