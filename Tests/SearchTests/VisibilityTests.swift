import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Search: nothing hidden from the searcher shows")
struct VisibilityTests {
    @Test("Audiences, private accounts, blocks either way, suspension and anonymous searchers; hashtags count public posts only")
    func matrix() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let follower = try await api.register("friend")
            let stranger = try await api.register("stranger")
            let blocker = try await api.register("blocker")
            try await api.befriend(follower, ann)
            _ = try await api.publish("zebra public", token: ann.accessToken)
            _ = try await api.publish("zebra for friends #secrettag", audience: .friends, token: ann.accessToken)
            _ = try await api.publish("zebra just me", audience: .onlyMe, token: ann.accessToken)
            _ = try await api.publish("zebra from the blocker", token: blocker.accessToken)
            #expect(try await api.post("/api/v1/accounts/\(stranger.account.id)/block", token: blocker.accessToken).status == 200)
            try await app.runJobs()

            #expect(try await api.postTexts("zebra", token: ann.accessToken) == ["zebra from the blocker", "zebra just me", "zebra for friends #secrettag", "zebra public"])
            #expect(try await api.postTexts("zebra", token: follower.accessToken) == ["zebra from the blocker", "zebra for friends #secrettag", "zebra public"])
            #expect(try await api.postTexts("zebra", token: bob.accessToken) == ["zebra from the blocker", "zebra public"])
            #expect(try await api.postTexts("zebra", token: stranger.accessToken) == ["zebra public"], "blocked either way")
            #expect(try await api.postTexts("zebra") == ["zebra from the blocker", "zebra public"], "anonymous: public only")
            #expect(try await api.usernames("blocker", token: stranger.accessToken).isEmpty)
            #expect(try await api.usernames("stranger", token: blocker.accessToken).isEmpty)
            // A tag used only by a friends-only post is counted nowhere and listed nowhere.
            #expect(try await api.search("secrettag", type: "hashtags", token: follower.accessToken).hashtags?.items.isEmpty == true)

            // A private account's posts reach its friends and followers only; the account itself is found.
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: ann.accessToken)
            try await app.runJobs()
            #expect(try await api.postTexts("zebra", token: bob.accessToken) == ["zebra from the blocker"])
            #expect(try await api.postTexts("zebra", token: follower.accessToken).contains("zebra public"))
            #expect(try await api.usernames("ann", token: bob.accessToken) == ["ann"])

            // A suspended account and its posts are gone for everyone; back when unsuspended.
            let admin = try await app.signedInAdmin(api)
            #expect(try await api.post("/api/v1/admin/accounts/\(blocker.account.id)/suspend", SuspendAccountRequest(), token: admin.accessToken).status == 200)
            try await app.runJobs()
            #expect(try await api.postTexts("zebra", token: bob.accessToken).isEmpty)
            #expect(try await api.usernames("blocker", token: bob.accessToken).isEmpty)
            #expect(try await api.post("/api/v1/admin/accounts/\(blocker.account.id)/unsuspend", token: admin.accessToken).status == 200)
            try await app.runJobs()
            #expect(try await api.usernames("blocker", token: bob.accessToken) == ["blocker"])
        }
    }

    @Test("A deleted account leaves the index: its document, its posts, its hashtag and place uses")
    func deletedAccount() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let located = CreatePostRequest(text: "quokka selfie #quokka", location: PostLocation(name: "Rottnest Island", latitude: -32.0, longitude: 115.5))
            #expect(try await api.post("/api/v1/posts", located, token: ann.accessToken).status == 201)
            try await app.runJobs()
            #expect(try await api.search("rottnest", type: "places", token: bob.accessToken).places?.items.map(\.uses) == [1])
            #expect(try await api.search("quokka", type: "hashtags", token: bob.accessToken).hashtags?.items.map(\.uses) == [1])
            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: ann.accessToken).status == 202)
            try await app.runJobs()
            let after = try await api.search("quokka", token: bob.accessToken)
            #expect(after.posts?.items.isEmpty == true && after.hashtags?.items.isEmpty == true)
            #expect(try await api.search("rottnest", type: "places", token: bob.accessToken).places?.items.isEmpty == true)
            #expect(try await api.usernames("ann", token: bob.accessToken).isEmpty)
            let rows = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM search_posts").first()?.decode(column: "n", as: Int.self)
            #expect(rows == 0)
        }
    }
}

@Suite("Search: a long run of hidden hits")
struct HiddenRunTests {
    @Test("A page that looked at its limit of candidates continues from the last post shown, never from a hidden one")
    func cursorNeverNamesAHiddenPost() async throws {
        try await TestApp.run(configure: { $0.search.scanLimit = 100 }) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            _ = try await api.publish("zebu in the open", token: ann.accessToken)
            var hidden: Set<String> = []
            for index in 0..<120 { hidden.insert(try await api.publish("zebu note \(index)", audience: .friends, token: ann.accessToken).id.description) }
            try await app.runJobs()
            let page = try #require(try await api.search("zebu", type: "posts", extra: "&limit=5", token: bob.accessToken).posts)
            #expect(page.items.isEmpty && page.nextCursor == nil, "all 100 looked at were hidden: the search ends")
            #expect(!hidden.contains(page.nextCursor ?? ""))
            #expect(try await api.postTexts("zebu", token: ann.accessToken).count == 20, "the author sees her notes")
        }
    }
}
