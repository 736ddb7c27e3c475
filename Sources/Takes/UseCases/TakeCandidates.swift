import EntativaCore
import EntativaModels
import SQLKit

/// What ranking reads on every page, kept in memory: the newest live Takes (ID, author, time)
/// and each Take's counters. Decoding a thousand rows per page cost more than the rest of the
/// page together. Publishing, deleting and erasing announce the window (`TakeStore`), views a
/// Take's counters (`ViewStore`), which drops them here and in every other instance.
struct TakeCandidates: Sendable {
    struct Entry: Sendable {
        var id: PostID
        var author: AccountID
        var createdAt: Int64
    }

    struct Counters: Sendable {
        var views: Int64
        var completionSum: Int64
        var rewatchSum: Int64
    }

    static let windowCacheName = "takes.window"
    static let countersCacheName = "takes.counters"
    /// The one key of the window cache.
    static let windowKey = 0

    private let window: SharedCache<Int, [Entry]>
    private let counters: SharedCache<PostID, Counters>
    private let database: AppDatabase
    private let size: Int

    init(database: AppDatabase, size: Int) {
        window = .registered(Self.windowCacheName, invalidation: database.invalidation, capacity: 1, lifetime: .seconds(300), key: { Int($0) })
        counters = .registered(
            Self.countersCacheName, invalidation: database.invalidation, capacity: 100_000, lifetime: .seconds(300), key: { PostID($0) })
        self.database = database
        self.size = size
    }

    /// The newest `size` live Takes, newest first, as of the last change.
    func newest() async throws -> [Entry] {
        let (database, size) = (self.database, self.size)
        return try await window.value(for: Self.windowKey) {
            try await TakeStore.newestEntries(limit: size, on: database.sql).map { Entry(id: $0.id, author: $0.author, createdAt: $0.createdAt) }
        } ?? []
    }

    func counters(of ids: [PostID]) async throws -> [PostID: Counters] {
        let database = self.database
        return try await counters.values(for: ids) { missing in
            try await TakeStore.counters(of: missing, on: database.sql).mapValues { Counters(views: $0.views, completionSum: $0.completion, rewatchSum: $0.rewatches) }
        }
    }
}
