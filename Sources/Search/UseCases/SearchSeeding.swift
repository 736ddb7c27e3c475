import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// What `entativa bench search` needs on top of `entativa seed`'s data: the index built, and
/// public hashtags by the hundred thousand (seeded posts use a few dozen). For an empty index no
/// server is using, never for real data.
public struct SearchSeeding: Sendable {
    let env: SearchEnvironment

    public init(env: SearchEnvironment) { self.env = env }

    /// Indexed accounts, posts and public hashtags.
    public func counts() async throws -> (accounts: Int, posts: Int, hashtags: Int) {
        let db = env.database.sql
        func count(_ table: String) async throws -> Int {
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return (try await count("search_accounts"), try await count("search_posts"), try await count("search_hashtags"))
    }

    /// Indexes every account and live post into an empty index in multi-row writes, for a
    /// seeded database of a million entities; `progress` gets the fraction done. Seeded posts'
    /// hashtags are not counted (`seedHashtags` files the bench's).
    public func indexAll(progress: @Sendable (Double) -> Void) async throws {
        let total = Double(max(1, try await env.directory.count() + env.searchablePosts.count()))
        let now = env.now
        var terms: [String: Int64] = [:]
        var done = 0
        var lastAccount: AccountID?
        while case let ids = try await env.directory.ids(after: lastAccount, limit: 2_000), let last = ids.last {
            var documents: [IndexStore.AccountDocument] = []
            var prefixes: [(prefix: String, score: Int64, entity: String)] = []
            for account in try await env.profiles.accounts(ids, viewer: nil) {
                let document = IndexStore.AccountDocument(
                    id: account.id, usernameKey: SearchText.fold(account.username), displayKey: SearchText.fold(account.displayName),
                    followers: account.followersCount, terms: Indexer.terms(username: account.username, displayName: account.displayName))
                documents.append(document)
                document.terms.forEach { terms[$0, default: 0] += 1 }
                let score = Prefixes.bucket(Int64(account.followersCount))
                let keys = Prefixes.accountKeys(usernameKey: document.usernameKey, displayKey: document.displayKey)
                prefixes += Prefixes.of(keys).map { ($0, score, account.id.description) }
            }
            try await env.database.transaction { [documents, prefixes] db in
                try await BulkIndexStore.insertAccounts(documents, now: now, on: db)
                try await BulkIndexStore.insertPrefixes(.account, prefixes, on: db)
            }
            (lastAccount, done) = (last, done + ids.count)
            progress(Double(done) / total)
        }
        var lastPost: PostID?
        while case let ids = try await env.searchablePosts.ids(after: lastPost, limit: 2_000), let last = ids.last {
            let posts = try await env.searchablePosts.posts(ids)
            let takes = try await env.takes.takes(among: ids)
            let documents = posts.map { post in
                IndexStore.PostDocument(
                    id: post.id, author: post.author, isTake: takes.contains(post.id), audience: post.audience.rawValue, hasMedia: post.hasMedia,
                    createdAt: post.createdAt, terms: Indexer.terms(of: post))
            }
            // As the indexer does: the vocabulary counts public posts only.
            for (post, document) in zip(posts, documents) where post.audience == .public { document.terms.forEach { terms[$0, default: 0] += 1 } }
            try await env.database.transaction { db in try await BulkIndexStore.insertPosts(documents, now: now, on: db) }
            (lastPost, done) = (last, done + ids.count)
            progress(Double(done) / total)
        }
        try await env.database.transaction { [terms] db in try await BulkIndexStore.addTerms(terms, on: db) }
        progress(1)
    }

    /// Files `count` made-up public hashtags (two seed words and a number) with Zipf-like uses,
    /// in the hashtag table and autocomplete's prefixes.
    public func seedHashtags(_ count: Int, words: [String], now: Int64, progress: @Sendable (Int) -> Void = { _ in }) async throws {
        let tags: [(tag: String, uses: Int64)] = (0..<count).map { index in
            let first = words[index % words.count], second = words[(index / words.count) % words.count]
            return ("\(first)\(second)\(index)", Int64(max(1, 100_000 / (index + 1))))
        }
        try await BulkWrite.run(tags, on: env.database, progress: { progress($0 / 2) }) { slice in
            var query = SQLQueryString("INSERT INTO search_hashtags (tag, name, public_uses, last_used_at) VALUES ")
            for (index, tag) in slice.enumerated() {
                query += index == 0 ? "(" : ", ("
                query += "\(bind: tag.tag), \(bind: tag.tag), \(unsafeRaw: String(tag.uses)), \(unsafeRaw: String(now)))"
            }
            return query + " ON CONFLICT DO NOTHING"
        }
        let rows = tags.flatMap { tag in Prefixes.of([tag.tag]).map { (prefix: $0, score: Prefixes.bucket(tag.uses), entity: tag.tag) } }
        let database = env.database
        for (index, slice) in rows.chunked(20_000).enumerated() {
            try await database.transaction { db in try await BulkIndexStore.insertPrefixes(.hashtag, Array(slice), on: db) }
            progress(count / 2 + min(rows.count, (index + 1) * 20_000) * count / 2 / max(1, rows.count))
        }
    }
}
