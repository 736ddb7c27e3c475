import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Search
import Synchronization
import Testing

@Suite("Search: re-index")
struct ReindexTests {
    @Test("A re-index puts back what the index lost and takes out what its sources no longer have, reporting progress up to 100 %")
    func reindex() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann_lemur")
            _ = try await api.publish("lemur facts #lemur", token: ann.accessToken)
            let gone = try await api.publish("lemur rumours", token: ann.accessToken)
            try await app.runJobs()
            let sql = app.kernel.database.sql
            // Lost: the index as if the events never ran. Stale: a post deleted behind its back.
            for table in ["search_accounts", "search_posts", "search_hashtags", "search_hashtag_uses"] {
                try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
            }
            if app.kernel.database.engine == .sqlite {
                try await sql.raw("DELETE FROM search_posts_fts").run()
                try await sql.raw("DELETE FROM search_accounts_fts").run()
            }
            #expect(try await api.postTexts("lemur").isEmpty)
            try await sql.raw("UPDATE posts SET deleted_at = 1 WHERE id = \(bind: gone.id.rawValue)").run()

            let fractions = Mutex<[Double]>([])
            let summary = try await Reindex(env: app.runtime.search.env).run { fraction in fractions.withLock { $0.append(fraction) } }
            #expect(summary.accounts == 1 && summary.posts == 1)
            let seen = fractions.withLock { $0 }
            #expect(seen.last == 1 && seen == seen.sorted())
            #expect(try await api.postTexts("lemur") == ["lemur facts #lemur"])
            #expect(try await api.usernames("lemur") == ["ann_lemur"])
            #expect(try await api.search("lemur", type: "hashtags").hashtags?.items.map(\.uses) == [1])
        }
    }

    @Test("Bulk indexing an empty index (for seeded data) finds what the event-driven index would, prefixes and typos included")
    func bulk() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann_lemur")
            _ = try await api.publish("lemurs dancing at sunrise", token: ann.accessToken)
            try await app.runJobs()
            let sql = app.kernel.database.sql
            for table in ["search_accounts", "search_posts", "search_terms", "search_prefixes"] { try await sql.raw("DELETE FROM \(unsafeRaw: table)").run() }
            if app.kernel.database.engine == .sqlite {
                for table in ["search_posts_fts", "search_accounts_fts", "search_term_variants"] { try await sql.raw("DELETE FROM \(unsafeRaw: table)").run() }
            }
            try await SearchSeeding(env: app.runtime.search.env).indexAll { _ in }
            #expect(try await api.postTexts("sunrse ") == ["lemurs dancing at sunrise"])
            #expect(try await api.usernames("lemur") == ["ann_lemur"])
            let suggested = try await api.get("/api/v1/search/autocomplete?q=lem").decode(AutocompleteResults.self)
            #expect(suggested.accounts.map(\.username) == ["ann_lemur"])
        }
    }
}
