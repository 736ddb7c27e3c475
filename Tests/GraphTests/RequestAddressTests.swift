import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

/// Decision 0012: a follow or friend request is addressed by the other account's ID, the very ID
/// the sender sent it to; nothing answers with an ID that no route takes.
@Suite("Graph: requests are addressed by account")
struct RequestAddressTests {
    func notifications(_ api: TestAPI, token: String) async throws -> [AppNotification] {
        try await api.get("/api/v1/notifications?grouped=false", token: token).decode(Page<AppNotification>.self).items
    }

    @Test("A friend request answers with the ID it was sent to, and is accepted by the sender's ID from the list or the notification")
    func friendRequestAddress() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let ben = try await api.register("ben")
            let sent = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: ben.account.id), token: ann.accessToken)
                .decode(Relationship.self)
            #expect(sent.id == ben.account.id && sent.friendRequested)

            // The list item has the account and the time, and no request ID of its own.
            let raw = try await api.get("/api/v1/friend-requests", token: ben.accessToken).body
            let page = try #require(try JSONSerialization.jsonObject(with: raw) as? [String: Any])
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(Set(items[0].keys) == ["account", "created_at"])
            #expect(page.keys.contains("next_cursor"))

            // The notification names the sender as its actor, and that is the address.
            try await app.runJobs()
            let notice = try #require(try await notifications(api, token: ben.accessToken).first { $0.type == "friend_request" })
            #expect(notice.actor?.id == ann.account.id)
            #expect(notice.data["friend_request_id"] == nil)
            let accepted = try await api.post("/api/v1/friend-requests/\(try #require(notice.actor?.id))/accept", token: ben.accessToken)
                .decode(Relationship.self)
            #expect(accepted.id == ann.account.id && accepted.friends)
            #expect(try await api.get("/api/v1/friend-requests?direction=outgoing", token: ann.accessToken).decode(Page<FriendRequest>.self).items.isEmpty)
            // Nothing waits any more: every answer route is a 404 for that account now.
            #expect(try await api.post("/api/v1/friend-requests/\(ann.account.id)/accept", token: ben.accessToken).status == 404)
            #expect(try await api.post("/api/v1/friend-requests/\(ann.account.id)/decline", token: ben.accessToken).status == 404)
            #expect(try await api.request(.delete, "/api/v1/friend-requests/\(ben.account.id)", token: ann.accessToken).status == 404)
            #expect(try await api.post("/api/v1/friend-requests/nope/accept", token: ben.accessToken).status == 404)
            #expect(try await api.post("/api/v1/friend-requests/\(ann.account.id)/accept").status == 401)
        }
    }

    @Test("A follow request is approved by the requester's account ID, on both networks", arguments: Platform.allCases)
    func followRequestAddress(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let owner = try await api.register("owner")
            let asker = try await api.register("asker")
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: owner.accessToken)
            let asked = try await api.post("/api/v1/accounts/\(owner.account.id)/follow", token: asker.accessToken).decode(Relationship.self)
            #expect(asked.id == owner.account.id && asked.requested)
            let listed = try #require(try await api.get("/api/v1/follow-requests", token: owner.accessToken).decode(Page<FollowRequest>.self).items.first)
            try await app.runJobs()
            let notice = try #require(try await notifications(api, token: owner.accessToken).first { $0.type == "follow_request" })
            #expect(notice.actor?.id == listed.account.id)
            let approved = try await api.post("/api/v1/follow-requests/\(listed.account.id)/approve", token: owner.accessToken)
                .decode(Relationship.self)
            #expect(approved.id == asker.account.id && approved.followedBy)
            #expect(try await api.post("/api/v1/follow-requests/\(listed.account.id)/reject", token: owner.accessToken).status == 404)
        }
    }

    @Test("Friend requests page by cursor without request IDs")
    func friendRequestPages() async throws {
        try await TestApp.run { _, api in
            let star = try await api.register("star")
            var senders: Set<AccountID> = []
            for index in 0..<5 {
                let fan = try await api.register("fan_\(index)")
                senders.insert(fan.account.id)
                _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: star.account.id), token: fan.accessToken)
            }
            var seen: [AccountID] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/api/v1/friend-requests?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: star.accessToken)
                    .decode(Page<FriendRequest>.self)
                seen += page.items.map(\.account.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.count == 5 && Set(seen) == senders)
        }
    }

    @Test("The OpenAPI document names the request parameter `account_id` and lists no request ID")
    func documentNamesAccountID() async throws {
        try await TestApp.run { _, api in
            let document = try #require(try JSONSerialization.jsonObject(with: try await api.get("/openapi.json").body) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, method) in [
                ("/api/v1/friend-requests/{account_id}/accept", "post"), ("/api/v1/friend-requests/{account_id}/decline", "post"),
                ("/api/v1/friend-requests/{account_id}", "delete"), ("/api/v1/friends/{account_id}", "delete"),
                ("/api/v1/follow-requests/{account_id}/approve", "post"), ("/api/v1/follow-requests/{account_id}/reject", "post"),
            ] {
                let operation = try #require(paths[path]?[method] as? [String: Any], "\(method) \(path)")
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                #expect(parameters.contains { $0["name"] as? String == "account_id" && $0["in"] as? String == "path" }, "\(path)")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect("\(responses["200"] ?? "")".contains("#/components/schemas/Relationship"), "\(method) \(path) answers the relationship")
            }
            #expect(!paths.keys.contains { $0.contains("-requests/{id}") })
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let friendRequest = try #require((schemas["FriendRequest"] as? [String: Any])?["properties"] as? [String: Any])
            #expect(Set(friendRequest.keys) == ["account", "created_at"])
        }
    }
}
