import EntativaCore
import EntativaModels
import EntativaServer
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Takes: seeding")
struct TakeSeedingTests {
    @Test("entativa seed makes Takes that show one real video, trends whose origin is each tag's earliest Take, and a feed to read")
    func seeded() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            var options = SeedOptions()
            (options.users, options.posts, options.followsPerUser, options.impressionReaders, options.takes) = (40, 50, 5, 0, 120)
            let summary = try await Seeder(runtime: app.runtime).run(options)
            #expect(summary.takes == 120)
            let sql = app.kernel.database.sql
            let counted = try await sql.raw("SELECT COUNT(*) AS n FROM takes").first()?.decode(column: "n", as: Int.self)
            #expect(counted == 120)
            // Each trend's origin is the earliest of its Takes.
            let wrong = try await sql.raw("""
                SELECT COUNT(*) AS n FROM take_trends t JOIN takes o ON o.post_id = t.origin_take_id
                WHERE EXISTS (SELECT 1 FROM take_trend_entries e JOIN takes x ON x.post_id = e.take_id
                              WHERE e.trend_id = t.id AND (x.created_at < o.created_at OR (x.created_at = o.created_at AND x.post_id < o.post_id)))
                """).first()?.decode(column: "n", as: Int.self)
            #expect(wrong == 0)
            let account = try #require(try await sql.raw("SELECT username FROM accounts ORDER BY id LIMIT 1").first()?.decode(column: "username", as: String.self))
            let token = try await api.post("/api/v1/auth/login", LoginRequest(login: account, password: Seeder.password)).decode(AuthTokens.self).accessToken
            let feed = try await api.get("/api/v1/takes/feed", token: token).decode(Page<TakeFeedItem>.self)
            #expect(feed.items.count == 20 && feed.nextCursor != nil)
            #expect(feed.items.allSatisfy { $0.take.post.media.first?.kind == .video && (14_750...15_250).contains($0.take.durationMs) })
            #expect(zip(feed.items, feed.items.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }
}
