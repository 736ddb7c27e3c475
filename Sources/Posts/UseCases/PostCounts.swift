import EntativaCore
import EntativaModels
import Identity

/// The posts domain's share of accounts' counts: live posts, shares included, in every audience.
/// The number is the author's, not the viewer's: a post the viewer may not see still counts, as
/// on Mastodon and Instagram, and a deleted one does not (decision 0012).
struct PostAccountStats: AccountStatsSource {
    let env: PostsEnvironment

    func stats(for accounts: [AccountID]) async throws -> [AccountID: AccountStats] {
        try await env.authorCounts.of(accounts).mapValues { AccountStats(posts: $0) }
    }
}

/// Live posts per author, kept in memory: publishing and deleting announce the author
/// (`PostStore.announceLivePostsChange`), which drops the count here and in every other instance.
struct AuthorPostCounts: Sendable {
    private let cache: SharedCache<AccountID, Int>
    private let database: AppDatabase

    init(database: AppDatabase) {
        cache = .registered(
            PostStore.countsCacheName, invalidation: database.invalidation, capacity: 100_000, lifetime: .seconds(300), key: { AccountID($0) })
        self.database = database
    }

    func of(_ authors: [AccountID]) async throws -> [AccountID: Int] {
        let database = self.database
        return try await cache.values(for: authors, absent: 0) { missing in
            try await PostStore.liveCounts(of: missing, on: database.sql)
        }
    }
}
