import EntativaCore
import EntativaModels
import Graph

/// The accounts a searcher follows or is friends with, with the names autocomplete matches, kept
/// for a minute per searcher: the keystrokes of one search share one look-up. Graph's own cache
/// of whom a viewer follows is current; the names here may lag a minute behind a rename.
struct Circles: Sendable {
    struct Member: Sendable, Equatable {
        var id: AccountID
        var keys: [String]
        var followers: Int64
    }

    /// Followed accounts beyond this many are not boosted: nobody types towards the 1,001st.
    static let maxMembers = 1_000
    /// Searchers whose lists are kept at once: with `maxMembers` each, a few tens of megabytes
    /// at worst, however many sign in and type.
    static let capacity = 500

    private let cache: SharedCache<AccountID, [Member]>
    private let graph: HomeGraph
    private let database: AppDatabase

    init(database: AppDatabase, graph: HomeGraph) {
        cache = SharedCache(invalidation: database.invalidation, capacity: Self.capacity, lifetime: .seconds(60))
        self.graph = graph
        self.database = database
    }

    func members(of viewer: AccountID) async throws -> [Member] {
        let graph = self.graph, database = self.database
        return try await cache.value(for: viewer) {
            let sources = try await graph.sources(of: viewer).sorted().prefix(Self.maxMembers)
            return try await IndexStore.accountKeys(Array(sources), on: database.sql).map { Member(id: $0.id, keys: $0.keys, followers: $0.followers) }
        } ?? []
    }
}
