import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@testable import Search

@Suite("Search: history and analytics")
struct HistoryTests {
    @Test("My searches are remembered newest first, one copy each; forget one or all; opting out forgets and stops; others' are never mine")
    func history() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            for query in ["Café", "otters", "cafe", "otters"] {
                _ = try await api.search(query, token: ann.accessToken)
                app.clock.advance(by: .seconds(1))
            }
            _ = try await api.search("otters", type: "posts", extra: "&cursor=9", token: ann.accessToken)
            func history(_ token: String) async throws -> [SearchHistoryEntry] {
                try await api.get("/api/v1/search/history", token: token).decode(Page<SearchHistoryEntry>.self).items
            }
            let entries = try await history(ann.accessToken)
            #expect(entries.map(\.query) == ["otters", "cafe"], "a repeated query moves up; later pages are not searches")
            #expect(try await history(bob.accessToken).isEmpty)
            #expect(try await api.delete("/api/v1/search/history/\(entries[0].id)", token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/search/history/\(entries[0].id)", token: ann.accessToken).status == 204)
            #expect(try await history(ann.accessToken).map(\.query) == ["cafe"])
            #expect(try await api.delete("/api/v1/search/history", token: ann.accessToken).status == 204)
            #expect(try await history(ann.accessToken).isEmpty)

            _ = try await api.search("remembered", token: ann.accessToken)
            let off = try await api.put("/api/v1/search/history/settings", SearchHistorySettings(enabled: false), token: ann.accessToken)
            #expect(try off.decode(SearchHistorySettings.self) == SearchHistorySettings(enabled: false))
            #expect(try await history(ann.accessToken).isEmpty, "turning it off forgets")
            _ = try await api.search("unremembered", token: ann.accessToken)
            #expect(try await history(ann.accessToken).isEmpty)
            #expect(try await api.get("/api/v1/search/history/settings", token: ann.accessToken).decode(SearchHistorySettings.self).enabled == false)
            #expect(try await api.get("/api/v1/search/history").status == 401)
        }
    }

    @Test("Administrators see queries searched at least five times, top or zero-result; users may not")
    func analytics() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            _ = try await api.publish("otters holding hands", token: ann.accessToken)
            try await app.runJobs()
            for _ in 0..<6 { _ = try await api.search("Otters ") }
            for _ in 0..<5 { _ = try await api.search("narwhal", token: ann.accessToken) }
            for _ in 0..<4 { _ = try await api.search("rare query") }
            let admin = try await app.signedInAdmin(api)
            let top = try await api.get("/api/v1/admin/search/queries", token: admin.accessToken).decode(Page<SearchQueryStat>.self).items
            #expect(top == [SearchQueryStat(query: "otters", searches: 6, zeroResults: 0), SearchQueryStat(query: "narwhal", searches: 5, zeroResults: 5)])
            let zero = try await api.get("/api/v1/admin/search/queries?kind=zero_results", token: admin.accessToken).decode(Page<SearchQueryStat>.self).items
            #expect(zero.map(\.query) == ["narwhal"])
            #expect(try await api.get("/api/v1/admin/search/queries", token: ann.accessToken).status == 403)
            #expect(try await api.get("/api/v1/admin/search/queries?days=91", token: admin.accessToken).status == 422)

            // Counts older than 90 days are dropped by a daily job.
            app.clock.advance(by: .seconds(91 * 86_400))
            try await app.kernel.jobs.enqueue(SearchHistory.purgeJob, SearchHistory.Purge(), on: app.kernel.database.sql)
            try await app.runJobs()
            let left = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM search_query_stats").first()?.decode(column: "n", as: Int.self)
            #expect(left == 0)
        }
    }
}
