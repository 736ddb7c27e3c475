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

    @Test("A follow request is approved by the requester's account ID")
    func followRequestAddress() async throws {
        try await TestApp.run { app, api in
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
            for index in 0..<3 {
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
            #expect(seen.count == 3 && Set(seen) == senders)
        }
    }
}
