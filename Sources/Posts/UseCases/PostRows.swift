import EntativaCore
import EntativaModels

/// Post rows as every viewer shares them (text, audience, counters, deletion, media), kept in
/// memory for the read path. Every statement that changes a post row announces it (`PostStore`),
/// which drops it here and in every other instance; who may see a row is still decided per request.
/// A post's media are written with the post and never change, so they are kept beside its row.
struct PostRows: Sendable {
    private struct Record: Sendable {
        var row: PostRow
        var media: [MediaID]
    }

    private let cache: SharedCache<PostID, Record>
    private let database: AppDatabase

    init(database: AppDatabase) {
        cache = .registered(PostStore.cacheName, invalidation: database.invalidation, capacity: 50_000, lifetime: .seconds(300), key: { PostID($0) })
        self.database = database
    }

    func find(_ id: PostID) async throws -> PostRow? {
        try await find([id]).first
    }

    /// The rows of `ids` that exist, in the order of `ids`.
    func inOrder(_ ids: [PostID]) async throws -> [PostRow] {
        let records = try await records(ids)
        return ids.compactMap { records[$0]?.row }
    }

    /// The rows of `ids` that exist, in no particular order.
    func find(_ ids: [PostID]) async throws -> [PostRow] {
        try await records(ids).values.map(\.row)
    }

    /// Each post's media IDs, in their order; a post without media is absent.
    func media(of ids: [PostID]) async throws -> [PostID: [MediaID]] {
        try await records(ids).compactMapValues { $0.media.isEmpty ? nil : $0.media }
    }

    private func records(_ ids: [PostID]) async throws -> [PostID: Record] {
        let database = self.database
        return try await cache.values(for: ids) { missing in
            let rows = try await PostStore.find(missing, on: database.sql)
            let media = try await PostStore.media(of: rows.map(\.id), on: database.sql)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, Record(row: $0, media: media[$0.id.rawValue] ?? [])) })
        }
    }
}
