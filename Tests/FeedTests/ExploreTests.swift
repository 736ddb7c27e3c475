import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Feed: explore")
struct ExploreTests {
    /// Velocities by hand at the final instant T (raw = reactions + 2 × comments + 3 × shares,
    /// score = raw ÷ (hours + 2)^1.5):
    ///   b1: 1 comment, 1 h old:   2 ÷ 3^1.5  = 0.385   (2 an hour)
    ///   c1: 1 share, 4 h old:     3 ÷ 6^1.5  = 0.204   (0.75 an hour)
    ///   a1: 3 reactions, 10 h:    3 ÷ 12^1.5 = 0.072   (0.3 an hour)
    ///   c2, c3, c4: new, no engagement: newest first, but C already has c1, so only c4 stays.
    /// Left out: the share of c1, an 8-day-old post, a friends-only one, the viewer's own, a muted author's,
    /// a blocker's and one the viewer was already shown.
    @Test("Explore ranks public posts by engagement velocity with a reason each, two per author, leaving out what it must")
    func handComputedExplore() async throws {
        try await TestApp.run { app, api in
            var accounts: [String: AccountID] = [:]
            for name in ["viewer", "author_a", "author_b", "author_c", "muted", "blocker", "reactor1", "reactor2", "reactor3"] {
                accounts[name] = try await api.register(name).account.id
            }
            var tokens: [String: String] = [:]
            func refresh() async throws { for name in ["viewer", "author_a", "author_b", "author_c", "muted", "blocker", "reactor1", "reactor2", "reactor3"] { tokens[name] = try await api.freshToken(name) } }
            func publish(_ text: String, by name: String, audience: PostAudience = .public) async throws -> Post {
                try await api.publish(text, audience: audience, token: tokens[name]!)
            }
            try await refresh()
            _ = try await publish("old1", by: "author_b")
            app.clock.advance(by: .seconds(182 * 3600))
            try await refresh()
            let a1 = try await publish("a1", by: "author_a")
            app.clock.advance(by: .seconds(6 * 3600))
            try await refresh()
            let c1 = try await publish("c1", by: "author_c")
            app.clock.advance(by: .seconds(3 * 3600))
            try await refresh()
            let b1 = try await publish("b1", by: "author_b")
            app.clock.advance(by: .seconds(3600))
            try await refresh()
            for text in ["c2", "c3", "c4"] { _ = try await publish(text, by: "author_c") }
            let m1 = try await publish("m1", by: "muted")
            _ = try await publish("x1", by: "blocker")
            _ = try await publish("v1", by: "viewer")
            _ = try await publish("f1", by: "author_a", audience: .friends)
            let s1 = try await publish("s1", by: "author_a")
            for reactor in ["reactor1", "reactor2", "reactor3"] {
                #expect(try await api.request(.put, "/api/v1/posts/\(a1.id)/reaction", json: SetReactionRequest(kind: .like), token: tokens[reactor]!).status == 200)
            }
            #expect(try await api.post("/api/v1/posts/\(b1.id)/comments", CreateCommentRequest(text: "nice"), token: tokens["reactor1"]!).status == 201)
            #expect(try await api.post("/api/v1/posts/\(c1.id)/share", SharePostRequest(), token: tokens["reactor2"]!).status == 201)
            #expect(try await api.request(.put, "/api/v1/posts/\(m1.id)/reaction", json: SetReactionRequest(kind: .like), token: tokens["reactor1"]!).status == 200)
            let viewer = tokens["viewer"]!
            #expect(try await api.post("/api/v1/accounts/\(accounts["muted"]!)/mute", token: viewer).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(accounts["viewer"]!)/block", token: tokens["blocker"]!).status == 200)
            _ = try await api.post("/api/v1/timelines/impressions", RecordImpressionsRequest(impressions: [ImpressionReport(postId: s1.id)]), token: viewer)
            try await app.runJobs()

            let first = try await api.get("/api/v1/explore?limit=2", token: viewer)
            #expect(first.status == 200, "\(first.text)")
            let page = try first.decode(Page<ExploreItem>.self)
            #expect(page.items.map(\.post.text) == ["b1", "c1"])
            #expect(page.items.first?.reason == ExploreReason(kind: .trending, engagement: 2, perHour: 2))
            #expect(page.items.last?.reason == ExploreReason(kind: .trending, engagement: 3, perHour: 0.75))
            // Posts published meanwhile stay out of this ranking's pages.
            _ = try await publish("later", by: "author_b")
            let second = try await api.get("/api/v1/explore?limit=2&cursor=\(page.nextCursor ?? "")", token: viewer).decode(Page<ExploreItem>.self)
            #expect(second.items.map(\.post.text) == ["a1", "c4"])
            #expect(second.items.last?.reason == ExploreReason(kind: .new, engagement: 0, perHour: 0))
            #expect(second.nextCursor == nil)
        }
    }

    @Test("Explore needs a token and refuses bad cursors and limits")
    func denials() async throws {
        try await TestApp.run { _, api in
            #expect(try await api.get("/api/v1/explore").status == 401)
            let viewer = try await api.register("viewer")
            for query in ["cursor=12", "cursor=1-2-99999", "cursor=9223372036854775807-2-0", "limit=0", "limit=abc"] {
                let response = try await api.get("/api/v1/explore?\(query)", token: viewer.accessToken)
                #expect(response.status == 422, "\(query) \(response.text)")
            }
            let empty = try await api.get("/api/v1/explore", token: viewer.accessToken).decode(Page<ExploreItem>.self)
            #expect(empty.items.isEmpty && empty.nextCursor == nil)
        }
    }
}
