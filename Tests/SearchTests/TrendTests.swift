import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Search
import Testing

@Suite("Search: trending and related hashtags")
struct TrendTests {
    @Test("Uses, accounts, growth and score match the hand-computed ones; one spammer is no trend; a narrower post counts nowhere")
    func trending() async throws {
        try await TestApp.run { app, api in
            let names = ["ann", "bob", "cat", "dan"]
            var tokens: [String: AuthTokens] = [:]
            for name in names { tokens[name] = try await api.register(name) }
            // The window before: two uses.
            _ = try await api.publish("dawn #rising", token: tokens["ann"]!.accessToken)
            _ = try await api.publish("dawn again #rising", token: tokens["bob"]!.accessToken)
            app.clock.advance(by: .seconds(25 * 3600))
            for name in names { tokens[name] = try await api.login(username: name) }
            // This window: six uses by three accounts, ten by one spammer, one friends-only.
            for name in ["ann", "bob", "cat"] {
                _ = try await api.publish("up #rising #sunrise", token: tokens[name]!.accessToken)
                _ = try await api.publish("still #rising #sunrise", token: tokens[name]!.accessToken)
            }
            for index in 0..<10 { _ = try await api.publish("buy \(index) #spam", token: tokens["dan"]!.accessToken) }
            _ = try await api.publish("hush #rising", audience: .friends, token: tokens["dan"]!.accessToken)
            app.clock.advance(by: .seconds(3600))
            try await app.runJobs()
            #expect(try await HashtagTrends(env: app.runtime.search.env).run() == 2)

            let trends = try await api.get("/api/v1/trends/hashtags").decode(Page<HashtagTrend>.self).items
            // rising: 6 uses an hour old: 6 · 0.5^(1/6) = 5.3454 decayed; growth (6+1)/(2+1) = 7/3.
            let rising = try #require(trends.first { $0.name == "rising" })
            #expect(rising.uses == 6 && rising.accounts == 3 && rising.previousUses == 2)
            #expect(abs(rising.growthPercent - 100 * (7.0 / 3 - 1)) < 1e-9)
            #expect(abs(rising.score - 6 * pow(0.5, 1.0 / 6) * 7 / 3) < 1e-9)
            // sunrise: the same six uses, none before: growth 7 capped at 4.
            let sunrise = try #require(trends.first { $0.name == "sunrise" })
            #expect(sunrise.previousUses == 0 && abs(sunrise.growthPercent - 600) < 1e-9 && abs(sunrise.score - 6 * pow(0.5, 1.0 / 6) * 4) < 1e-9)
            #expect(trends.map(\.name) == ["sunrise", "rising"] && trends.map(\.rank) == [1, 2], "spam has one account")

            // Counting again at the same instant changes nothing.
            try await HashtagTrends(env: app.runtime.search.env).run()
            #expect(try await api.get("/api/v1/trends/hashtags").decode(Page<HashtagTrend>.self).items == trends)

            let related = try await api.get("/api/v1/hashtags/rising/related").decode(Page<RelatedHashtag>.self).items
            // 6 posts together; rising has 8 public uses, sunrise 6: 6 / √48.
            #expect(related.map(\.name) == ["sunrise"] && related.first?.together == 6)
            #expect(abs((related.first?.score ?? 0) - 6 / 48.0.squareRoot()) < 1e-9)
            #expect(try await api.get("/api/v1/hashtags/nosuchtag/related").status == 404)
            #expect(try await api.get("/api/v1/trends/hashtags?limit=51").status == 422)
        }
    }
}
