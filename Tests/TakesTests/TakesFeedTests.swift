import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@testable import Takes

@Suite("Takes: feed")
struct TakesFeedTests {
    @Test("The feed on a hand-built scenario: completion ranks, at most 2 per author a page, seen, muted and own Takes left out")
    func ordering() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let viewer = try await api.register("viewer")
            let busy = try await api.register("busy")
            let solo = try await api.register("solo")
            let muted = try await api.register("muted")
            let watchers = [try await api.register("watcher1"), try await api.register("watcher2")]
            let b1 = try await api.postTake(app, token: busy.accessToken)
            let b2 = try await api.postTake(app, token: busy.accessToken)
            let b3 = try await api.postTake(app, token: busy.accessToken)
            let s1 = try await api.postTake(app, token: solo.accessToken)
            let seen = try await api.postTake(app, token: solo.accessToken)
            let hush = try await api.postTake(app, token: muted.accessToken)
            let own = try await api.postTake(app, token: viewer.accessToken)
            #expect(try await api.post("/api/v1/accounts/\(muted.account.id)/mute", token: viewer.accessToken).status == 200)
            // Completions: s1 by both watchers fully; b1 0.9, b2 0.5, b3 0.1 by one.
            for watcher in watchers {
                _ = try await api.reportViews([TakeViewReport(takeId: s1.id, watchMs: 15_000, completion: 1)], token: watcher.accessToken)
            }
            _ = try await api.reportViews(
                [
                    TakeViewReport(takeId: b1.id, watchMs: 13_500, completion: 0.9), TakeViewReport(takeId: b2.id, watchMs: 7_500, completion: 0.5),
                    TakeViewReport(takeId: b3.id, watchMs: 1_500, completion: 0.1),
                ], token: watchers[0].accessToken)
            _ = try await api.reportViews([TakeViewReport(takeId: seen.id, watchMs: 1_000, completion: 1)], token: viewer.accessToken)

            let first = try await api.takesFeed(token: viewer.accessToken)
            // completion = (Σ + 1) ÷ (views + 2): s1 3/4, b1 1.9/3, b2 1.5/3, b3 1.1/3; score = 0.35 × completion.
            #expect(first.items.map(\.take.id) == [s1.id, b1.id, b2.id], "b3 waits: busy already has two on this page")
            #expect(abs(first.items[0].score - 0.35 * 0.75) < 1e-9 && abs(first.items[1].completion - 1.9 / 3) < 1e-9)
            let ids = Set(first.items.map(\.take.id))
            #expect(!ids.contains(seen.id) && !ids.contains(hush.id) && !ids.contains(own.id))
            let cursor = try #require(first.nextCursor)
            let second = try await api.takesFeed(token: viewer.accessToken, query: "?cursor=\(cursor)")
            #expect(second.items.map(\.take.id) == [b3.id] && second.nextCursor == nil)

            // Views reported between pages do not shift the next page.
            app.clock.advance(by: .seconds(1))
            _ = try await api.reportViews([TakeViewReport(takeId: s1.id, watchMs: 1, completion: 0.2)], token: viewer.accessToken)
            #expect(try await api.takesFeed(token: viewer.accessToken, query: "?cursor=\(cursor)").items.map(\.take.id) == [b3.id])
            #expect(try await api.takesFeed(token: viewer.accessToken).items.map(\.take.id) == [b1.id, b2.id], "a fresh feed leaves out what I saw")
            #expect(try await api.get("/api/v1/takes/feed?cursor=bogus", token: viewer.accessToken).status == 422)
            #expect(try await api.get("/api/v1/takes/feed?limit=0", token: viewer.accessToken).status == 422)
            #expect(try await api.get("/api/v1/takes/feed").status == 401)
        }
    }

    @Test("Engagement velocity and affinity raise a Take; a blocked author's Takes never show")
    func engagementAndBlocks() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let viewer = try await api.register("viewer")
            let liked = try await api.register("liked")
            let plain = try await api.register("plain")
            let rude = try await api.register("rude")
            let quiet = try await api.postTake(app, token: plain.accessToken)
            let popular = try await api.postTake(app, token: liked.accessToken)
            _ = try await api.postTake(app, token: rude.accessToken)
            for index in 0..<3 {
                let fan = try await api.register("fan\(index)")
                _ = try await api.put("/api/v1/posts/\(popular.id)/reaction", SetReactionRequest(kind: .like), token: fan.accessToken)
            }
            #expect(try await api.post("/api/v1/accounts/\(rude.account.id)/block", token: viewer.accessToken).status == 200)
            try await app.runJobs()
            let items = try await api.takesFeed(token: viewer.accessToken).items
            #expect(items.map(\.take.id) == [popular.id, quiet.id])
            // 3 reactions, 0 hours old: v = 3 ÷ 2 = 1.5, velocity = 1.5 ÷ 2.5.
            #expect(abs(items[0].velocity - 0.6) < 1e-9 && items[1].velocity == 0)
        }
    }
}
