import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Feed: Vignette's circle and surprise feeds")
struct CircleSurpriseTests {
    /// Me: I follow mutual (who follows me back), oneway (who does not) and muted (who follows
    /// me back, but I muted them); closefriend is on my close friends list without a follow.
    /// The circle shows mutual's and closefriend's posts, newest first — not oneway's, muted's or mine.
    @Test("The circle is close friends and mutual follows, newest first, muted and one-way follows left out")
    func circle() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            var tokens: [String: AuthTokens] = [:]
            for name in ["myself", "mutual", "oneway", "muted", "closefriend"] { tokens[name] = try await api.register(name) }
            func id(_ name: String) -> AccountID { tokens[name]!.account.id }
            let me = tokens["myself"]!.accessToken
            for name in ["mutual", "oneway", "muted"] { try await api.follow(id(name), token: me) }
            for name in ["mutual", "muted"] { try await api.follow(id("myself"), token: tokens[name]!.accessToken) }
            #expect(try await api.post("/api/v1/accounts/\(id("closefriend"))/close-friend", token: me).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(id("muted"))/mute", token: me).status == 200)
            var posts: [String: PostID] = [:]
            for name in ["mutual", "oneway", "muted", "closefriend", "myself"] {
                posts[name] = try await api.publishPhoto("\(name) posting", app: app, token: tokens[name]!.accessToken).id
            }
            let first = try await api.get("/api/v1/timelines/circle?limit=1", token: me)
            #expect(first.status == 200)
            let page = try first.decode(Page<Post>.self)
            #expect(page.items.map(\.id) == [posts["closefriend"]!])
            let second = try await api.get("/api/v1/timelines/circle?limit=1&cursor=\(page.nextCursor!)", token: me).decode(Page<Post>.self)
            #expect(second.items.map(\.id) == [posts["mutual"]!])
            if let cursor = second.nextCursor {
                #expect(try await api.get("/api/v1/timelines/circle?limit=1&cursor=\(cursor)", token: me).decode(Page<Post>.self).items.isEmpty)
            }
            #expect(try await api.get("/api/v1/timelines/circle").status == 401)
            #expect(try await api.get("/api/v1/timelines/circle?limit=0", token: me).status == 422)
            #expect(try await api.get("/api/v1/timelines/circle?cursor=abc", token: me).status == 422)
        }
    }

    /// I follow fone and ftwo. Both follow xavier (x), fone follows yara (y); zed1, zed2 and zed3
    /// (whom nobody I follow follows) each use #rising once in the last day and nobody the day before: growth
    /// (3 + 1) ÷ (0 + 1) = 4. Scored one hour after publishing, velocity = raw ÷ 3^1.5:
    ///   p1 by x, 2 reactions and a share: 5 ÷ 5.196 × (1 + ln 3) = 2.019   followed by 2 I follow
    ///   zed1's z1, 1 reaction:     1 ÷ 5.196 × (1 + ln 4) = 0.459     #rising, growth 4
    ///   the rest score 0, newest first: x3, z3, z2, p2 — x2 is x's third and is dropped.
    /// Left out: fone's post (I follow fone), my own, sharer's share of p1, a muted account's and one
    /// I was shown (fone follows all three of their authors).
    @Test("Surprise ranks out-of-network posts by velocity boosted by why they were found, two per author, with reasons")
    func surprise() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let names = ["myself", "fone", "ftwo", "xavier", "yara", "zed1", "zed2", "zed3", "mutee", "seen", "sharer"]
            var accounts: [String: AccountID] = [:]
            for name in names { accounts[name] = try await api.register(name).account.id }
            var tokens: [String: String] = [:]
            for name in names { tokens[name] = try await api.freshToken(name) }
            for name in ["fone", "ftwo"] { try await api.follow(accounts[name]!, token: tokens["myself"]!) }
            for name in ["xavier", "mutee", "seen", "sharer"] { try await api.follow(accounts[name]!, token: tokens["fone"]!) }
            try await api.follow(accounts["xavier"]!, token: tokens["ftwo"]!)
            try await api.follow(accounts["yara"]!, token: tokens["fone"]!)
            #expect(try await api.post("/api/v1/accounts/\(accounts["mutee"]!)/mute", token: tokens["myself"]!).status == 200)

            let p1 = try await api.publishPhoto("p1", app: app, token: tokens["xavier"]!)
            let p2 = try await api.publishPhoto("p2", app: app, token: tokens["yara"]!)
            let z1 = try await api.publishPhoto("z1 #rising", app: app, token: tokens["zed1"]!)
            let z2 = try await api.publishPhoto("z2 #rising", app: app, token: tokens["zed2"]!)
            let z3 = try await api.publishPhoto("z3 #rising", app: app, token: tokens["zed3"]!)
            _ = try await api.publishPhoto("x2", app: app, token: tokens["xavier"]!)
            let x3 = try await api.publishPhoto("x3", app: app, token: tokens["xavier"]!)
            _ = try await api.publishPhoto("f1's", app: app, token: tokens["fone"]!)
            _ = try await api.publishPhoto("mine", app: app, token: tokens["myself"]!)
            _ = try await api.publishPhoto("muted", app: app, token: tokens["mutee"]!)
            let shown = try await api.publishPhoto("shown", app: app, token: tokens["seen"]!)
            #expect(try await api.post("/api/v1/posts/\(p1.id)/share", SharePostRequest(), token: tokens["sharer"]!).status == 201)
            for reactor in ["fone", "ftwo"] {
                #expect(try await api.request(.put, "/api/v1/posts/\(p1.id)/reaction", json: SetReactionRequest(kind: .like), token: tokens[reactor]!).status == 200)
            }
            #expect(try await api.request(.put, "/api/v1/posts/\(z1.id)/reaction", json: SetReactionRequest(kind: .like), token: tokens["fone"]!).status == 200)
            _ = try await api.post("/api/v1/timelines/impressions", RecordImpressionsRequest(impressions: [ImpressionReport(postId: shown.id)]), token: tokens["myself"]!)
            try await app.runJobs()
            app.clock.advance(by: .seconds(3600))
            let me = try await api.freshToken("myself")

            let first = try await api.get("/api/v1/timelines/surprise?limit=4", token: me)
            #expect(first.status == 200, "\(first.text)")
            let page = try first.decode(Page<SurpriseItem>.self)
            #expect(page.items.map(\.post.id) == [p1.id, z1.id, x3.id, z3.id])
            #expect(page.items[0].reason == SurpriseReason(kind: .followedByFollowing, accounts: 2, engagement: 5))
            #expect(page.items[1].reason == SurpriseReason(kind: .growingHashtag, hashtag: "rising", growth: 4, engagement: 1))
            let second = try await api.get("/api/v1/timelines/surprise?limit=4&cursor=\(page.nextCursor!)", token: me).decode(Page<SurpriseItem>.self)
            #expect(second.items.map(\.post.id) == [z2.id, p2.id])
            #expect(second.items[1].reason == SurpriseReason(kind: .followedByFollowing, accounts: 1, engagement: 0))
            #expect(second.nextCursor == nil)

            #expect(try await api.get("/api/v1/timelines/surprise").status == 401)
            #expect(try await api.get("/api/v1/timelines/surprise?cursor=9223372036854775807-2-0", token: me).status == 422)
            #expect(try await api.get("/api/v1/timelines/surprise?limit=1000", token: me).status == 422)
        }
    }

    @Test("Entativa has neither feed: both are 404")
    func notOnEntativa() async throws {
        try await TestApp.run(platform: .entativa) { _, api in
            let me = try await api.register("myself").accessToken
            #expect(try await api.get("/api/v1/timelines/circle", token: me).status == 404)
            #expect(try await api.get("/api/v1/timelines/surprise", token: me).status == 404)
        }
    }
}
