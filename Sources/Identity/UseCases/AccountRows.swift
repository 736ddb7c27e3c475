import EntativaCore
import EntativaModels

/// Accounts as others see them (profile, privacy, role, state; no credentials), kept in memory
/// for the read path. Every statement that changes one of these columns announces the account
/// (`AccountStore.announceChange`), which drops it here and in every other instance.
struct AccountRows: Sendable {
    private let cache: SharedCache<AccountID, ProfileRow>
    private let database: AppDatabase

    init(database: AppDatabase) {
        cache = .registered(
            AccountStore.cacheName, invalidation: database.invalidation, capacity: 100_000, lifetime: .seconds(300), key: { AccountID($0) })
        self.database = database
    }

    func find(_ id: AccountID) async throws -> ProfileRow? {
        try await find([id]).first
    }

    /// The rows of `ids` that exist, in no particular order.
    func find(_ ids: [AccountID]) async throws -> [ProfileRow] {
        let database = self.database
        return Array(try await cache.values(for: ids) { missing in
            Dictionary(uniqueKeysWithValues: try await AccountStore.find(missing, on: database.sql).map { ($0.id, $0.profile) })
        }.values)
    }
}
