import EntativaCore
import EntativaModels
import Identity
import Synchronization

/// The graph as the read path asks it, kept in memory: how a viewer stands with each author of
/// a page, accounts' counts, and whose posts each home shows. Every edge write announces its
/// pair (`PairStore`), which drops that pair both ways and both accounts' counts and home
/// sources here and in every other instance; an account's erasure empties everything.
struct GraphCaches: Sendable {
    private let pairs: SharedCache<AccountPair, PairEdges>
    private let counts: SharedCache<AccountID, AccountStats>
    private let homeSources: SharedCache<AccountID, KeptSources>
    private let database: AppDatabase

    init(database: AppDatabase) {
        let pairs = SharedCache<AccountPair, PairEdges>(invalidation: database.invalidation, capacity: 200_000, lifetime: .seconds(300))
        let counts = SharedCache<AccountID, AccountStats>(invalidation: database.invalidation, capacity: 50_000, lifetime: .seconds(300))
        // A home's sources are read on every home read: 20,000 readers of a few hundred sources
        // is ~30 MB. Following has no cap, so longer lists are read each time instead.
        let homeSources = SharedCache<AccountID, KeptSources>(invalidation: database.invalidation, capacity: 20_000, lifetime: .seconds(300))
        database.invalidation.register(PairStore.cacheName, cache: CacheGroup([pairs, counts, homeSources])) { key in
            guard let pair = PairStore.pair(from: key) else {
                pairs.removeAll()
                counts.removeAll()
                homeSources.removeAll()
                return
            }
            pairs.remove(pair)
            pairs.remove(pair.reversed)
            for account in [pair.first, pair.second] {
                counts.remove(account)
                homeSources.remove(account)
            }
        }
        self.pairs = pairs
        self.counts = counts
        self.homeSources = homeSources
        self.database = database
    }

    /// The accounts whose posts `viewer`'s home shows (`HomeEdgeStore.sources`).
    func homeSources(of viewer: AccountID) async throws -> HomeSources {
        let database = self.database
        let load = {
            HomeSources(accounts: Set(try await HomeEdgeStore.sources(of: viewer, on: database.sql)), version: Self.loads.add(1, ordering: .relaxed).newValue)
        }
        var loaded: HomeSources?
        let kept = try await homeSources.value(for: viewer) {
            let sources = try await load()
            loaded = sources
            return sources.accounts.count > Self.sourcesKept ? .tooMany : .kept(sources)
        }
        if case .kept(let sources)? = kept { return sources }
        if let loaded { return loaded }
        return try await load()
    }

    private enum KeptSources: Sendable {
        case kept(HomeSources)
        case tooMany
    }

    /// Past this many sources a home's are read for every page rather than kept.
    static let sourcesKept = 5_000

    private static let loads = Atomic<UInt64>(0)

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
