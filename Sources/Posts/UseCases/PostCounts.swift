import EntativaCore
import EntativaModels
import Identity

/// The posts domain's share of accounts' counts: live posts, shares included, in every audience.
/// The number is the author's, not the viewer's: a post the viewer may not see still counts, as
/// on Mastodon and Instagram, and a deleted one does not (decision 0012).
struct PostAccountStats: AccountStatsSource {
    let env: PostsEnvironment

    func stats(for accounts: [AccountID]) async throws -> [AccountID: AccountStats] {
        let posts = try await PostStore.liveCounts(of: accounts, on: env.database.sql)
        return posts.mapValues { AccountStats(posts: $0) }
    }
}
