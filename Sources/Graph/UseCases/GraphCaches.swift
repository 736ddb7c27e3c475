import EntativaCore
import EntativaModels
import Identity

/// The graph as the read path asks it, kept in memory: how a viewer stands with each author of
/// a page, and accounts' counts. Every edge write announces its pair (`PairStore`), which drops
/// that pair both ways and both accounts' counts here and in every other instance; an account's
/// erasure empties everything.
struct GraphCaches: Sendable {
    private let pairs: SharedCache<AccountPair, PairEdges>
    private let counts: SharedCache<AccountID, AccountStats>
    private let database: AppDatabase

    init(database: AppDatabase) {
        let pairs = SharedCache<AccountPair, PairEdges>(invalidation: database.invalidation, capacity: 200_000, lifetime: .seconds(300))
        let counts = SharedCache<AccountID, AccountStats>(invalidation: database.invalidation, capacity: 50_000, lifetime: .seconds(300))
        database.invalidation.register(PairStore.cacheName, cache: CacheGroup([pairs, counts])) { key in
            guard let pair = PairStore.pair(from: key) else {
                pairs.removeAll()
                counts.removeAll()
                return
            }
            pairs.remove(pair)
            pairs.remove(pair.reversed)
            counts.remove(pair.first)
            counts.remove(pair.second)
        }
        self.pairs = pairs
        self.counts = counts
        self.database = database
    }

    /// How `account` stands with each of `others` (itself excluded); an account with no edge
    /// either way maps to `[]`.
    func edges(of account: AccountID, with others: [AccountID]) async throws -> [AccountID: PairEdges] {
        let keys = Set(others).subtracting([account]).map { AccountPair(account, $0) }
        let database = self.database
        let found = try await pairs.values(for: keys, absent: []) { missing in
            let edges = try await PairStore.edges(of: account, with: missing.map(\.second), on: database.sql)
            return Dictionary(uniqueKeysWithValues: edges.map { (AccountPair(account, $0.key), $0.value) })
        }
        return Dictionary(uniqueKeysWithValues: found.map { ($0.key.second, $0.value) })
    }

    func stats(of accounts: [AccountID], load: ([AccountID]) async throws -> [AccountID: AccountStats]) async throws -> [AccountID: AccountStats] {
        try await counts.values(for: accounts, absent: .zero, load: load)
    }
}
