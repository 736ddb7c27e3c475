import EntativaCore
import EntativaModels
import Posts

/// The newest entries of each home, kept in memory so that a first page costs no statement.
///
/// Entries are added only by fan-out and back-fills, which announce their readers
/// (`HomeEntryStore.headsCacheName`) here and in every other instance. Removals are not
/// announced: an entry left here after its post was deleted or narrowed, or its author
/// unfollowed, muted or blocked, is dropped by the read anyway (the visibility rule and the
/// reader's sources decide on every read), so a head may hold IDs a read discards but never
/// lacks one it should show.
struct HomeHeads: Sendable {
    /// Two scan batches of the default page.
    static let size = 80

    private struct Head: Sendable {
        var entries: [PostReference]
        /// Whether `entries` are all the home has.
        var complete: Bool
    }

    private let cache: SharedCache<AccountID, Head>
    private let database: AppDatabase

    init(database: AppDatabase) {
        // 20,000 heads of 80 entries are about 26 MB.
        cache = .registeredForLists(
            HomeEntryStore.headsCacheName, invalidation: database.invalidation, capacity: 20_000, lifetime: .seconds(300),
            key: { AccountID(String($0)) })
        self.database = database
    }

    /// The reader's entries before `before`, newest first, at most `limit`.
    func page(of reader: AccountID, before: PostID?, limit: Int) async throws -> [PostReference] {
        let database = self.database
        let head = try await cache.value(for: reader) {
            let newest = try await HomeEntryStore.page(of: reader, before: nil, limit: Self.size + 1, on: database.sql)
            return Head(entries: Array(newest.prefix(Self.size)), complete: newest.count <= Self.size)
        }
        if let head {
            var candidates = head.entries[...]
            if let before { candidates = candidates.drop { $0.id >= before } }
            if candidates.count >= limit || head.complete { return Array(candidates.prefix(limit)) }
        }
        return try await HomeEntryStore.page(of: reader, before: before, limit: limit, on: database.sql)
    }
}
