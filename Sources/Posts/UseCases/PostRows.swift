import EntativaCore
import EntativaModels

/// Post rows as every viewer shares them (text, audience, counters, deletion), kept in memory for
/// the read path. Every statement that changes a post row announces it (`PostStore`), which drops
/// it here and in every other instance; who may see a row is still decided per request.
struct PostRows: Sendable {
    private let cache: SharedCache<PostID, PostRow>
    private let database: AppDatabase

    init(database: AppDatabase) {
        let cache = SharedCache<PostID, PostRow>(invalidation: database.invalidation, capacity: 50_000, lifetime: .seconds(300))
        database.invalidation.register(PostStore.cacheName, cache: cache) { key in
            guard let id = PostID(key) else { return cache.removeAll() }
            cache.remove(id)
        }
        self.cache = cache
        self.database = database
    }

    func find(_ id: PostID) async throws -> PostRow? {
        try await find([id]).first
    }

    /// The rows of `ids` that exist, in no particular order.
    func find(_ ids: [PostID]) async throws -> [PostRow] {
        let database = self.database
        return Array(try await cache.values(for: ids) { missing in
            Dictionary(uniqueKeysWithValues: try await PostStore.find(missing, on: database.sql).map { ($0.id, $0) })
        }.values)
    }
}
