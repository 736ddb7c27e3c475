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
    private let windows: SharedCache<AccountID, RankedWindow>
    private let database: AppDatabase

    init(database: AppDatabase) {
        // 20,000 heads of 80 entries are about 26 MB; 10,000 windows of 200 posts about 30 MB.
        let cache = SharedCache<AccountID, Head>(invalidation: database.invalidation, capacity: 20_000, lifetime: .seconds(300))
        let windows = SharedCache<AccountID, RankedWindow>(invalidation: database.invalidation, capacity: 10_000, lifetime: .seconds(300))
        database.invalidation.registerKeyLists(HomeEntryStore.headsCacheName, cache: CacheGroup([cache, windows]), key: { AccountID(String($0)) }) {
            cache.remove($0)
            windows.remove($0)
        }
        self.cache = cache
        self.windows = windows
        self.database = database
    }

    /// The newest posts a reader's home showed them when a ranked first page was last scored,
    /// and what they were found from: the window stays true while that basis is unchanged and
    /// no entry was added (which drops it with the head). What it may still hold that the
    /// reader should no longer see, the page's rendering drops. A post that becomes visible
    /// with no edge of the reader's changing (its author's suspension lifted) joins it when it
    /// is next found, within the cache's lifetime.
    struct RankedWindow: Sendable {
        var basis: WindowBasis
        var posts: [PostID]
        /// Where the next window starts.
        var next: PostID?
    }

    /// What a first ranked window was found from, besides the entries.
    struct WindowBasis: Sendable, Equatable {
        /// Any edge of the reader's changing (which may change what they may see) changes it.
        var sourcesVersion: UInt64
        var gaps: [AccountID: PostID]
        /// Pulled authors in ID order, with each one's newest post.
        var pulled: [AccountID]
        var pulledNewest: [PostID?]
    }

    /// The reader's first ranked window, as last found from `basis`, or what `find` finds.
    func firstWindow(of reader: AccountID, basis: WindowBasis, find: () async throws -> RankedWindow) async throws -> RankedWindow {
        if let kept = try await windows.value(for: reader, isFresh: { $0.basis == basis }, load: find) { return kept }
        return try await find()
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
