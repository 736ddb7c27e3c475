import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Graph: a deleted account leaves the graph")
struct GraphAccountDeletionTests {
    @Test("Every edge of a deleted account goes, both ways: follows, requests, friendships, friend requests, blocks, mutes, close friends")
    func edgesGo() async throws {
        try await TestApp.run { app, api in
            let gone = try await api.register("gone")
            let ann = try await api.register("ann")
            let ben = try await api.register("ben")
            let cat = try await api.register("cat")
            let dan = try await api.register("dan")
            let eve = try await api.register("eve")
            let fay = try await api.register("fay")
            for (from, to) in [(gone, ann), (ann, gone), (ben, ann)] {
                _ = try await api.post("/api/v1/accounts/\(to.account.id)/follow", token: from.accessToken)
            }
            _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: ben.account.id), token: gone.accessToken)
            _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: gone.account.id), token: cat.accessToken)
            _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: dan.account.id), token: gone.accessToken)
            _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: gone.account.id), token: dan.accessToken)
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: eve.accessToken).status == 200)
            _ = try await api.post("/api/v1/accounts/\(eve.account.id)/follow", token: gone.accessToken)
            _ = try await api.post("/api/v1/accounts/\(cat.account.id)/mute", token: gone.accessToken)
            _ = try await api.post("/api/v1/accounts/\(ann.account.id)/close-friend", token: gone.accessToken)
            _ = try await api.post("/api/v1/accounts/\(gone.account.id)/mute", token: ben.accessToken)
            _ = try await api.post("/api/v1/accounts/\(gone.account.id)/close-friend", token: cat.accessToken)
            _ = try await api.post("/api/v1/accounts/\(gone.account.id)/block", token: fay.accessToken)

            let db = app.kernel.database.sql
            let id = gone.account.id.rawValue
            let tables = [
                ("follows", "follower_id", "followee_id"), ("follow_requests", "requester_id", "target_id"), ("blocks", "blocker_id", "blocked_id"),
                ("mutes", "muter_id", "muted_id"), ("close_friends", "owner_id", "friend_id"), ("friendships", "account_id", "friend_id"),
                ("friend_requests", "from_id", "to_id"), ("friend_request_sends", "from_id", "from_id"),
            ]
            let rows: @Sendable () async throws -> [String: Int] = {
                var counts: [String: Int] = [:]
                for (table, from, to) in tables {
                    counts[table] = try await db.raw("""
                        SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: from) = \(bind: id) OR \(unsafeRaw: to) = \(bind: id)
                        """).first()?.decode(column: "n", as: Int.self)
                }
                return counts
            }
            let before = try await rows()
            #expect(before.values.allSatisfy { $0 > 0 }, "\(before)")

            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: gone.accessToken).status == 202)
            try await app.runJobs()
            let after = try await rows()
            #expect(after.values.allSatisfy { $0 == 0 }, "\(after)")
            // Others' edges among themselves stay.
            let followers = try await api.get("/api/v1/accounts/\(ann.account.id)/followers", token: ann.accessToken).decode(Page<Account>.self)
            #expect(followers.items.map(\.id) == [ben.account.id])
        }
    }
}
