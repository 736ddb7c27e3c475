import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Identity
import Synchronization
import Testing

/// Wraps a stats source and records how many accounts each call named.
final class CountingStats: AccountStatsSource {
    let inner: any AccountStatsSource
    let calls = Mutex<[Int]>([])

    init(_ inner: any AccountStatsSource) { self.inner = inner }

    func stats(for accounts: [AccountID]) async throws -> [AccountID: AccountStats] {
        calls.withLock { $0.append(accounts.count) }
        return try await inner.stats(for: accounts)
    }
}

/// Decision 0012: every rendered account carries followers, following, (Entativa) friends and
/// posts counts, raw like Mastodon's, fetched in one batch per list.
@Suite("Accounts carry their counts")
struct AccountCountTests {
    struct Counts: Equatable, CustomStringConvertible {
        var followers: Int, following: Int, friends: Int?, posts: Int
        init(_ followers: Int, _ following: Int, _ friends: Int?, _ posts: Int) {
            (self.followers, self.following, self.friends, self.posts) = (followers, following, friends, posts)
        }
        init(_ account: Account) { self.init(account.followersCount, account.followingCount, account.friendsCount, account.postsCount) }
        var description: String { "\(followers)/\(following)/\(friends.map(String.init) ?? "–")/\(posts)" }
    }

    static func keys(_ response: TestResponse, at path: [String]) throws -> Set<String> {
        var value: Any = try JSONSerialization.jsonObject(with: response.body)
        for key in path {
            if let index = Int(key) { value = (value as? [Any])?[index] as Any } else { value = (value as? [String: Any])?[key] as Any }
        }
        return Set((value as? [String: Any])?.keys.map { $0 } ?? [])
    }

    @Test("Followers, following, friends and posts on every route that renders an account (Entativa)")
    func everywhere() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            #expect(Counts(ann.account) == Counts(0, 0, 0, 0))
            let ben = try await api.register("ben")
            let cat = try await api.register("cat")
            for (who, whom) in [(ben, ann), (cat, ann), (ann, ben)] {
                #expect(try await api.post("/api/v1/accounts/\(whom.account.id)/follow", token: who.accessToken).status == 200)
            }
            _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: ben.account.id), token: ann.accessToken)
            _ = try await api.post("/api/v1/friend-requests/\(ann.account.id)/accept", token: ben.accessToken)
            var posts: [PostID] = []
            for (text, audience) in [("one", PostAudience.public), ("two", .onlyMe), ("three", .public)] {
                posts.append(try await api.post("/api/v1/posts", CreatePostRequest(text: text, audience: audience), token: ann.accessToken).decode(Post.self).id)
            }
            #expect(try await api.delete("/api/v1/posts/\(posts[2])", token: ann.accessToken).status == 204)
            #expect(try await api.post("/api/v1/posts/\(posts[0])/share", token: cat.accessToken).status == 201)

            // Raw counts: the only-me post counts for everyone, the deleted one for no one.
            let expected = Counts(2, 1, 1, 2)
            let anonymous = try await api.get("/api/v1/accounts/\(ann.account.id)")
            #expect(Counts(try anonymous.decode(Account.self)) == expected)
            #expect(try Self.keys(anonymous, at: []).isSuperset(of: ["followers_count", "following_count", "friends_count", "posts_count"]))
            #expect(Counts(try await api.get("/api/v1/accounts/lookup?username=ann", token: cat.accessToken).decode(Account.self)) == expected)
            #expect(Counts(try await api.get("/api/v1/accounts/me", token: ann.accessToken).decode(Account.self)) == expected)
            #expect(Counts(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(bio: "hi"), token: ann.accessToken).decode(Account.self)) == expected)
            let login = try await api.post("/api/v1/auth/login", LoginRequest(login: "ann", password: TestAPI.defaultPassword)).decode(AuthTokens.self)
            #expect(Counts(login.account) == expected)
            let refreshed = try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: login.refreshToken)).decode(AuthTokens.self)
            #expect(Counts(refreshed.account) == expected)
            let followers = try await api.get("/api/v1/accounts/\(ben.account.id)/followers").decode(Page<Account>.self)
            #expect(followers.items.map(Counts.init) == [expected])
            #expect(Counts(try await api.get("/api/v1/posts/\(posts[0])", token: ben.accessToken).decode(Post.self).author) == expected)
            let friends = try await api.get("/api/v1/accounts/\(ann.account.id)/friends").decode(Page<Account>.self)
            #expect(friends.items.map(Counts.init) == [Counts(1, 1, 1, 0)])
            #expect(Counts(try await api.get("/api/v1/accounts/\(cat.account.id)").decode(Account.self)) == Counts(0, 1, 0, 1))

            try await app.runJobs()
            let notices = try await api.get("/api/v1/notifications?grouped=false", token: ann.accessToken).decode(Page<AppNotification>.self).items
            let follow = try #require(notices.first { $0.type == "follow" && $0.actor?.id == ben.account.id })
            #expect(Counts(try #require(follow.actor)) == Counts(1, 1, 1, 0))

            // Counts follow the graph.
            _ = try await api.delete("/api/v1/accounts/\(ann.account.id)/follow", token: ben.accessToken)
            _ = try await api.delete("/api/v1/friends/\(ben.account.id)", token: ann.accessToken)
            #expect(Counts(try await api.get("/api/v1/accounts/\(ann.account.id)").decode(Account.self)) == Counts(1, 1, 0, 2))

            // A private account's counts stay public though its lists and posts are not.
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: ann.accessToken)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/followers").status == 403)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/posts").status == 403)
            #expect(Counts(try await api.get("/api/v1/accounts/\(ann.account.id)").decode(Account.self)) == Counts(1, 1, 0, 2))
            // A block hides the account, counts and all.
            _ = try await api.post("/api/v1/accounts/\(cat.account.id)/block", token: ann.accessToken)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)", token: cat.accessToken).status == 404)
        }
    }

    @Test("Vignette has no friends_count; the other counts are there")
    func vignette() async throws {
        try await TestApp.run(platform: .vignette) { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            #expect(try Self.keys(try await api.post("/api/v1/auth/login", LoginRequest(login: "ada", password: TestAPI.defaultPassword)), at: ["account"])
                .isDisjoint(with: ["friends_count"]))
            _ = try await api.post("/api/v1/accounts/\(ada.account.id)/follow", token: bob.accessToken)
            let answer = try await api.get("/api/v1/accounts/\(ada.account.id)")
            let keys = try Self.keys(answer, at: [])
            #expect(keys.isSuperset(of: ["followers_count", "following_count", "posts_count"]))
            #expect(!keys.contains("friends_count"))
            #expect(Counts(try answer.decode(Account.self)) == Counts(1, 0, nil, 0))
            let followers = try await api.get("/api/v1/accounts/\(ada.account.id)/followers")
            #expect(!(try Self.keys(followers, at: ["items", "0"]).contains("friends_count")))
            #expect(Counts(try followers.decode(Page<Account>.self).items[0]) == Counts(0, 1, nil, 0))
        }
    }

    @Test("A page of 20 accounts is counted with one call to each source, whatever the engine")
    func batched() async throws {
        try await TestApp.run { app, api in
            let star = try await api.register("star")
            let posters: Set<String> = ["fan_0", "fan_1"]
            for index in 0..<20 {
                let fan = try await api.register("fan_\(index)")
                _ = try await api.post("/api/v1/accounts/\(star.account.id)/follow", token: fan.accessToken)
                if posters.contains(fan.account.username) { _ = try await api.post("/api/v1/posts", CreatePostRequest(text: "hello \(index)"), token: fan.accessToken) }
            }
            let slot = app.runtime.identity.accountStats
            let counting = slot.installed.map(CountingStats.init)
            #expect(counting.count == 2, "the graph's and the posts domain's")
            slot.install(counting)
            let page = try await api.get("/api/v1/accounts/\(star.account.id)/followers?limit=20").decode(Page<Account>.self)
            #expect(page.items.count == 20)
            #expect(page.items.allSatisfy { Counts($0) == Counts(0, 1, 0, posters.contains($0.username) ? 1 : 0) })
            for source in counting { #expect(source.calls.withLock { $0 } == [20]) }

            // Sources answer in one call for many accounts, straight from the graph and posts domains.
            let ids = page.items.map(\.id) + [star.account.id]
            let stats = try await slot.stats(for: ids + ids)
            #expect(stats[star.account.id] == AccountStats(followers: 20, following: 0, friends: 0, posts: 0))
            #expect(page.items.allSatisfy { stats[$0.id] == AccountStats(followers: 0, following: 1, friends: 0, posts: posters.contains($0.username) ? 1 : 0) })
            for source in counting { #expect(source.calls.withLock { $0 } == [20, 21], "duplicates asked once") }
        }
    }
}
