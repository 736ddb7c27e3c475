import EntativaCore
import EntativaModels
import Identity

/// The graph's share of accounts' counts: followers, following and (Entativa) friends, one
/// `COUNT … GROUP BY` per kind for any number of accounts, sent as one statement. Raw counts, as
/// Mastodon and Instagram show them: a private account's numbers are public though its lists are
/// not, and an edge counts whoever is at its other end (decision 0012).
public struct GraphAccountStats: AccountStatsSource {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    public func stats(for accounts: [AccountID]) async throws -> [AccountID: AccountStats] {
        var kinds = [
            EdgeCount(label: "followers", edge: .follow, outgoing: false), EdgeCount(label: "following", edge: .follow, outgoing: true),
        ]
        // Friendship rows come in pairs, one from each side, so the outgoing ones are the friends.
        if env.kernel.config.platform == .entativa { kinds.append(EdgeCount(label: "friends", edge: .friendship, outgoing: true)) }
        let database = env.database
        return try await env.caches.stats(of: accounts) { missing in
            let counts = try await EdgeCount.counts(kinds, of: missing, on: database.sql)
            var stats: [AccountID: AccountStats] = [:]
            for account in missing {
                stats[account] = AccountStats(
                    followers: counts["followers"]?[account] ?? 0, following: counts["following"]?[account] ?? 0,
                    friends: counts["friends"]?[account] ?? 0)
            }
            return stats
        }
    }
}
