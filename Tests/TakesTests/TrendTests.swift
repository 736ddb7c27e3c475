import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@testable import Takes

@Suite("Takes: trends")
struct TrendTests {
    /// Signs everyone in again: access tokens do not outlive hours of test clock.
    static func relogin(_ api: TestAPI, _ names: [String]) async throws -> [String: String] {
        var tokens: [String: String] = [:]
        for name in names { tokens[name] = try await api.login(username: name).accessToken }
        return tokens
    }

    @Test("A hashtag trend: its first Take's author is the originator; 5 creators join; counts and growth match the hand-computed ones")
    func scenario() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let names = ["ann", "pat1", "pat2", "pat3", "pat4", "pat5", "bob"]
            for name in names { _ = try await api.register(name) }
            // Minutes before the final count, T: ann at T−30h and p1 at T−26h (the day before),
            // p2 at T−90m (the hour before), p3, p4 (twice) and p5 in the last hour.
            let plan: [(name: String, minutesBefore: Int)] = [
                ("ann", 1_800), ("bob", 1_700), ("pat1", 1_560), ("pat2", 90), ("pat3", 30), ("pat4", 20), ("pat4", 10), ("pat5", 5),
            ]
            var now = 0
            var takes: [(String, Take)] = []
            for step in plan {
                let at = 1_800 - step.minutesBefore
                app.clock.advance(by: .seconds((at - now) * 60))
                now = at
                let token = try await api.login(username: step.name).accessToken
                // bob's Take comes early but without the tag; he adds it later by an edit.
                let caption = step.name == "bob" ? "warming up" : "my moves #Dance"
                takes.append((step.name, try await api.postTake(app, caption: caption, token: token)))
            }
            app.clock.advance(by: .seconds((1_800 - now) * 60 - 60))
            var tokens = try await Self.relogin(api, names)
            let bobs = takes.first { $0.0 == "bob" }!.1
            _ = try await api.patch("/api/v1/takes/\(bobs.id)", UpdateTakeRequest(caption: "warming up #dance"), token: tokens["bob"]!)
            app.clock.advance(by: .seconds(60))
            try await app.runJobs()
            #expect(try await TrendDetection(env: app.runtime.takes.env).run() == 1)
            #expect(try await TrendDetection(env: app.runtime.takes.env).run() == 1, "counting again at the same instant changes nothing")

            let origin = takes[0].1
            let trendID = origin.trends[0].trendId
            tokens = try await Self.relogin(api, names)
            let trend = try await api.get("/api/v1/takes/trends/\(trendID)").decode(TakeTrend.self)
            #expect(trend.kind == .hashtag && trend.key == "dance")
            #expect(trend.originator?.username == "ann" && trend.originTake?.id == origin.id)
            // bob joined by his edit one minute before T: the last hour has p3, p4, p5 and bob.
            #expect(trend.participants == 7 && trend.takes == 8)
            #expect(trend.joinsLastHour == 4 && trend.joinsPreviousHour == 1)
            #expect(trend.joinsLastDay == 5 && trend.joinsPreviousDay == 2)
            #expect(trend.growthPerHourPercent == 300 && trend.growthPerDayPercent == 150 && trend.growing)

            // Every participating Take links back to the originator and the origin Take; bob's
            // older Take, tagged later, does not take the origin.
            for (_, take) in takes {
                let credit = try await api.take(take.id).trends.first { $0.trendId == trendID }
                #expect(credit?.originator?.username == "ann" && credit?.originTakeId == origin.id)
                #expect(credit?.isOrigin == (take.id == origin.id))
            }

            // Grouped participation notices to the originator: one per creator, not per Take.
            let groups = try await api.get("/api/v1/notifications", token: tokens["ann"]!).decode(Page<NotificationGroup>.self).items
            let joined = groups.first { $0.type == "trend_joined" }
            #expect(joined?.count == 6 && joined?.text == "bob and 5 others joined your trend", "\(String(describing: joined))")

            // The trending list shows it; the ranked Takes list pages through all eight.
            let trending = try await api.get("/api/v1/takes/trends?kind=hashtag").decode(Page<TakeTrend>.self)
            #expect(trending.items.map(\.id) == [trendID])
            let first = try await api.get("/api/v1/takes/trends/\(trendID)/takes?limit=5").decode(Page<Take>.self)
            let cursor = try #require(first.nextCursor)
            let second = try await api.get("/api/v1/takes/trends/\(trendID)/takes?limit=5&cursor=\(cursor)").decode(Page<Take>.self)
            #expect(Set(first.items.map(\.id) + second.items.map(\.id)).count == 8 && second.nextCursor == nil)
            #expect(try await api.get("/api/v1/takes/trends?kind=bogus").status == 422)
        }
    }

    @Test("The originator stays: edits of the origin Take, its deletion and a repost, and later Takes cannot move the credit")
    func abuseGuard() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            var ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let origin = try await api.postTake(app, caption: "#jump", token: ann.accessToken)
            let trendID = origin.trends[0].trendId
            let later = try await api.postTake(app, caption: "#jump too", token: bob.accessToken)
            #expect(later.trends.first?.originator?.id == ann.account.id && later.trends.first?.isOrigin == false)

            _ = try await api.patch("/api/v1/takes/\(origin.id)", UpdateTakeRequest(caption: "no tag any more"), token: ann.accessToken)
            try await app.runJobs()
            var trend = try await api.get("/api/v1/takes/trends/\(trendID)").decode(TakeTrend.self)
            #expect(trend.originator?.id == ann.account.id && trend.originTake?.id == origin.id, "an edit removing the tag keeps the credit")

            // bob deletes his Take and posts again: still not the origin.
            #expect(try await api.delete("/api/v1/takes/\(later.id)", token: bob.accessToken).status == 204)
            try await app.runJobs()
            let again = try await api.postTake(app, caption: "#jump again", token: bob.accessToken)
            #expect(again.trends.first?.trendId == trendID && again.trends.first?.isOrigin == false)

            // ann deletes the origin and reposts: the credit stays with the first Take, now gone.
            #expect(try await api.delete("/api/v1/takes/\(origin.id)", token: ann.accessToken).status == 204)
            try await app.runJobs()
            app.clock.advance(by: .seconds(60))
            ann = try await api.login(username: "ann")
            let repost = try await api.postTake(app, caption: "#jump", token: ann.accessToken)
            let credit = try #require(repost.trends.first)
            #expect(credit.trendId == trendID && !credit.isOrigin && credit.originator?.id == ann.account.id && credit.originTakeId == nil)
            trend = try await api.get("/api/v1/takes/trends/\(trendID)").decode(TakeTrend.self)
            #expect(trend.originTake == nil && trend.originator?.id == ann.account.id)
            let row = try await app.kernel.database.sql.raw("SELECT origin_take_id FROM take_trends WHERE id = \(bind: trendID.rawValue)").first()
            #expect(try row?.decode(column: "origin_take_id", as: PostID.self) == origin.id)
        }
    }

    @Test("Only a public Take by a public account starts a trend; narrower Takes join; a trend none of whose Takes I may see stays unknown")
    func visibility() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let carl = try await api.register("carl")
            let hidden = try await api.register("hidden")
            let secret = try await api.postTake(app, caption: "#secretplan", audience: .onlyMe, token: ann.accessToken)
            #expect(secret.trends.isEmpty, "an only-me Take starts nothing anyone could be credited for")
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: hidden.accessToken).status == 200)
            #expect(try await api.postTake(app, caption: "#secretplan", token: hidden.accessToken).trends.isEmpty, "nor a private account's")

            let open = try await api.postTake(app, caption: "#secretplan", token: bob.accessToken)
            let trendID = try #require(open.trends.first?.trendId)
            #expect(open.trends.first?.isOrigin == true)
            let narrow = try await api.postTake(app, caption: "#secretplan too", audience: .followers, token: ann.accessToken)
            #expect(narrow.trends.first?.trendId == trendID && narrow.trends.first?.originator?.id == bob.account.id)

            // bob narrows his Take: now only ann's followers-only Take and his only-me one are in it.
            _ = try await api.patch("/api/v1/takes/\(open.id)", UpdateTakeRequest(audience: .onlyMe), token: bob.accessToken)
            #expect(try await api.get("/api/v1/takes/trends/\(trendID)", token: carl.accessToken).status == 404)
            #expect(try await api.get("/api/v1/takes/trends/\(trendID)").status == 404)
            #expect(try await api.get("/api/v1/takes/trends/\(trendID)/takes", token: carl.accessToken).status == 404)
            let seen = try await api.get("/api/v1/takes/trends/\(trendID)", token: ann.accessToken).decode(TakeTrend.self)
            #expect(seen.originator == nil && seen.originTake == nil, "ann may not see bob's Take, so not who started it either")
            #expect(try await api.get("/api/v1/takes/trends/\(trendID)", token: bob.accessToken).decode(TakeTrend.self).originator?.id == bob.account.id)
        }
    }

    @Test("The discovery boost: a growing trend's origin Take scores 1 + boost × min(1, joins ÷ saturation) times its base, and its originator is suggested")
    func boost() async throws {
        try await TestApp.run(platform: .vignette, configure: { $0.takes.trendBoostSaturation = 10 }) { app, api in
            let viewer = try await api.register("viewer")
            let ann = try await api.register("ann")
            let origin = try await api.postTake(app, caption: "#wave", token: ann.accessToken)
            for index in 0..<4 {
                let creator = try await api.register("creator\(index)")
                _ = try await api.postTake(app, caption: "#wave", token: creator.accessToken)
            }
            try await app.runJobs()
            let before = try await api.takesFeed(token: viewer.accessToken).items.first { $0.take.id == origin.id }
            #expect(before?.boost == 0)
            try await TrendDetection(env: app.runtime.takes.env).run()
            let after = try await api.takesFeed(token: viewer.accessToken).items.first { $0.take.id == origin.id }
            // Five creators joined in the last day: boost = 0.5 × min(1, 5 ÷ 10) = 0.25.
            #expect(after?.boost == 0.25)
            let ratio = (after?.score ?? 0) / (before?.score ?? 1)
            #expect(abs(ratio - 1.25) < 1e-9, "measured: \(ratio)")
            let others = try await api.takesFeed(token: viewer.accessToken).items.filter { $0.take.id != origin.id }
            #expect(others.allSatisfy { $0.boost == 0 })
            #expect(try await api.takesFeed(token: viewer.accessToken).items.first?.take.id == origin.id, "the boost lifts it to the top")

            let suggestions = try await api.get("/api/v1/suggestions/accounts", token: viewer.accessToken).decode(Page<AccountSuggestion>.self)
            #expect(suggestions.items.first?.account.id == ann.account.id && suggestions.items.first?.reason.kind == .startedTrend)
        }
    }
}
