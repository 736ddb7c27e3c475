import EntativaCore
import EntativaModels

/// Each home's back-fill gaps (`HomeEntryStore.gaps`), kept in memory: every home read needs
/// them, and they change only when a follow is reconciled. Each change announces its reader
/// (`HomeEntryStore.gapsCacheName`), here and in every other instance.
struct HomeGapCache: Sendable {
    private let cache: SharedCache<AccountID, [AccountID: PostID]>
    private let database: AppDatabase

    init(database: AppDatabase) {
        cache = .registered(
            HomeEntryStore.gapsCacheName, invalidation: database.invalidation, capacity: 50_000, lifetime: .seconds(300),
            key: { AccountID($0) })
        self.database = database
    }

    /// Authors whose posts below a post ID are missing from `reader`'s entries.
    func gaps(of reader: AccountID) async throws -> [AccountID: PostID] {
        let database = self.database
        return try await cache.value(for: reader) { try await HomeEntryStore.gaps(of: reader, on: database.sql) } ?? [:]
    }
}
