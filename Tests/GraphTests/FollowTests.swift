import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Graph: follows, requests, blocks, mutes, close friends")
struct FollowTests {
    func relationship(_ response: TestResponse) throws -> Relationship { try response.decode(Relationship.self) }

    @Test("Following a public account is instant, on both networks", arguments: Platform.allCases)
    func followPublic(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let followed = try relationship(try await api.post("/api/v1/accounts/\(bob.account.id)/follow", token: ada.accessToken))
            #expect(followed.following && !followed.requested)
            let again = try relationship(try await api.post("/api/v1/accounts/\(bob.account.id)/follow", token: ada.accessToken))
            #expect(again.following)
            let followers = try await api.get("/api/v1/accounts/\(bob.account.id)/followers").decode(Page<Account>.self)
            #expect(followers.items.map(\.id) == [ada.account.id])
            let following = try await api.get("/api/v1/accounts/\(ada.account.id)/following").decode(Page<Account>.self)
            #expect(following.items.map(\.id) == [bob.account.id])
            let seen = try await api.get("/api/v1/accounts/relationships?id[]=\(ada.account.id)", token: bob.accessToken).decode(Page<Relationship>.self).items
            #expect(seen.first?.followedBy == true && seen.first?.following == false)
            try await app.runJobs()
            let events = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM outbox_events WHERE topic = 'graph.followed'").first()
            #expect(try events?.decode(column: "n", as: Int.self) == 1)
            let unfollowed = try relationship(try await api.delete("/api/v1/accounts/\(bob.account.id)/follow", token: ada.accessToken))
            #expect(!unfollowed.following)
        }
    }

    @Test("Following stops at the cap, requests to private accounts included; unfollowing makes room")
    func followingCap() async throws {
        try await TestApp.run(configure: { $0.graph.maxFollowing = 2 }) { _, api in
            let me = try await api.register("collector")
            let open = try await api.register("open_one")
            let other = try await api.register("open_two")
            let third = try await api.register("open_three")
            let closed = try await api.register("closed_one")
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: closed.accessToken).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(open.account.id)/follow", token: me.accessToken).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(closed.account.id)/follow", token: me.accessToken).status == 200)
            let refused = try await api.post("/api/v1/accounts/\(other.account.id)/follow", token: me.accessToken)
            #expect(refused.status == 409 && refused.problem?.type.hasSuffix("following-limit") == true, "\(refused.text)")
            // Following someone already followed is not a new follow.
            #expect(try await api.post("/api/v1/accounts/\(open.account.id)/follow", token: me.accessToken).status == 200)
            #expect(try await api.delete("/api/v1/accounts/\(open.account.id)/follow", token: me.accessToken).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(third.account.id)/follow", token: me.accessToken).status == 200)
            let instance = try await api.get("/api/v1/instance").text
            #expect(instance.contains("\"max_following\":2"))
        }
    }

    @Test("A private account gets requests it can approve or reject; its lists are for followers only")
    func privateAccounts() async throws {
        try await TestApp.run { _, api in
            let owner = try await api.register("private_one")
            let asker = try await api.register("asker")
            let other = try await api.register("rejected_one")
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: owner.accessToken)
            let asked = try relationship(try await api.post("/api/v1/accounts/\(owner.account.id)/follow", token: asker.accessToken))
            #expect(asked.requested && !asked.following)
            _ = try await api.post("/api/v1/accounts/\(owner.account.id)/follow", token: other.accessToken)
            let requests = try await api.get("/api/v1/follow-requests", token: owner.accessToken).decode(Page<FollowRequest>.self)
            #expect(Set(requests.items.map(\.account.id)) == [asker.account.id, other.account.id])
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/followers", token: asker.accessToken).status == 403)
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/followers").status == 403)

            let approved = try relationship(try await api.post("/api/v1/follow-requests/\(asker.account.id)/approve", token: owner.accessToken))
            #expect(approved.followedBy)
            #expect(try await api.post("/api/v1/follow-requests/\(other.account.id)/reject", token: owner.accessToken).status == 200)
            #expect(try await api.post("/api/v1/follow-requests/\(other.account.id)/approve", token: owner.accessToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/followers", token: asker.accessToken).status == 200)
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/followers", token: other.accessToken).status == 403)
            #expect(try await api.get("/api/v1/follow-requests").status == 401)
        }
    }

    @Test("Blocking severs follows and requests both ways and hides each account from the other")
    func blocking() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let mallory = try await api.register("mallory")
            _ = try await api.post("/api/v1/accounts/\(alice.account.id)/follow", token: mallory.accessToken)
            _ = try await api.post("/api/v1/accounts/\(mallory.account.id)/follow", token: alice.accessToken)
            let blocked = try relationship(try await api.post("/api/v1/accounts/\(mallory.account.id)/block", token: alice.accessToken))
            #expect(blocked.blocking && !blocked.following && !blocked.followedBy)
            #expect(try await api.get("/api/v1/accounts/\(alice.account.id)", token: mallory.accessToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/lookup?username=alice", token: mallory.accessToken).status == 404)
            #expect(try await api.post("/api/v1/accounts/\(alice.account.id)/follow", token: mallory.accessToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/\(alice.account.id)/followers", token: mallory.accessToken).status == 404)
            let theirView = try await api.get("/api/v1/accounts/relationships?id[]=\(alice.account.id)", token: mallory.accessToken).decode(Page<Relationship>.self).items
            #expect(theirView.first?.blockedBy == true)
            let blocks = try await api.get("/api/v1/blocks", token: alice.accessToken).decode(Page<Account>.self)
            #expect(blocks.items.map(\.id) == [mallory.account.id])
            let unblocked = try relationship(try await api.delete("/api/v1/accounts/\(mallory.account.id)/block", token: alice.accessToken))
            #expect(!unblocked.blocking && !unblocked.following)
            #expect(try await api.get("/api/v1/accounts/\(alice.account.id)", token: mallory.accessToken).status == 200)
        }
    }

    @Test("Mutes and close friends are the caller's own lists")
    func mutesAndCloseFriends() async throws {
        try await TestApp.run { _, api in
            let me = try await api.register("lister")
            let loud = try await api.register("loud")
            let dear = try await api.register("dear")
            #expect(try relationship(try await api.post("/api/v1/accounts/\(loud.account.id)/mute", token: me.accessToken)).muting)
            #expect(try relationship(try await api.post("/api/v1/accounts/\(dear.account.id)/close-friend", token: me.accessToken)).closeFriend)
            #expect(try await api.get("/api/v1/mutes", token: me.accessToken).decode(Page<Account>.self).items.map(\.id) == [loud.account.id])
            #expect(try await api.get("/api/v1/close-friends", token: me.accessToken).decode(Page<Account>.self).items.map(\.id) == [dear.account.id])
            // Muting is invisible to the muted.
            let theirs = try await api.get("/api/v1/accounts/relationships?id[]=\(me.account.id)", token: loud.accessToken).decode(Page<Relationship>.self).items
            #expect(theirs.first?.muting == false)
            #expect(!(try relationship(try await api.delete("/api/v1/accounts/\(loud.account.id)/mute", token: me.accessToken)).muting))
        }
    }

    @Test("Bad input: self, unknown accounts, bad IDs, too many relationships, bad cursors")
    func denials() async throws {
        try await TestApp.run { _, api in
            let me = try await api.register("careful")
            #expect(try await api.post("/api/v1/accounts/\(me.account.id)/follow", token: me.accessToken).status == 422)
            #expect(try await api.post("/api/v1/accounts/424242/follow", token: me.accessToken).status == 404)
            #expect(try await api.post("/api/v1/accounts/nope/block", token: me.accessToken).status == 404)
            #expect(try await api.post("/api/v1/accounts/424242/follow").status == 401)
            #expect(try await api.get("/api/v1/accounts/relationships", token: me.accessToken).status == 422)
            #expect(try await api.get("/api/v1/accounts/relationships?id[]=x", token: me.accessToken).status == 422)
            let many = (1...101).map { "id[]=\($0)" }.joined(separator: "&")
            #expect(try await api.get("/api/v1/accounts/relationships?\(many)", token: me.accessToken).status == 422)
            #expect(try await api.get("/api/v1/accounts/\(me.account.id)/followers?cursor=zzz").status == 422)
        }
    }

    @Test("Follower lists page without losing anyone, even when follows share a millisecond")
    func pagination() async throws {
        try await TestApp.run { _, api in
            let star = try await api.register("star")
            var fans: Set<AccountID> = []
            for index in 0..<7 {
                let fan = try await api.register("fan_\(index)")
                fans.insert(fan.account.id)
                _ = try await api.post("/api/v1/accounts/\(star.account.id)/follow", token: fan.accessToken)
            }
            var seen: [AccountID] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/accounts/\(star.account.id)/followers?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.get(path).decode(Page<Account>.self)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.count == 7)
            #expect(Set(seen) == fans)
        }
    }
}
