import EntativaCore
import EntativaModels

/// Each author's stories in the tray kept in memory so a tray that
/// covers thousands of followed accounts decodes no story rows. Posting, deleting and erasing
/// announce the author (`StoryStore.liveCacheName`), which drops the entry here and in every
/// other instance. Expiry needs no announcement: every read filters on `expires_at` against the
/// clock, and who may see what is still decided per request by `StoryAccess`.
struct LiveStories: Sendable {
    /// What the tray needs of a story, and no more: thousands are read per tray.
    struct Story: Sendable {
        var id: StoryID
        var author: AccountID
        var audience: StoryAudience
        var createdAt: Int64
        var expiresAt: Int64
        /// Whether it has a hide-from list, which the tray then asks about for its viewer: the
        /// lists themselves (up to 1,000 accounts a story) would make an entry unbounded.
        var hasHideFromList: Bool
    }

    private let cache: SharedCache<AccountID, [Story]>
    private let database: AppDatabase

    init(database: AppDatabase) {
        cache = .registered(
            StoryStore.liveCacheName, invalidation: database.invalidation, capacity: 100_000, lifetime: .seconds(300), key: { AccountID($0) })
        self.database = database
    }

    /// The live stories of `authors` at `now`, in no particular order.
    func stories(by authors: [AccountID], now: Int64) async throws -> [Story] {
        let database = self.database
        let entries = try await cache.values(for: authors, absent: []) { missing in
            let rows = try await StoryStore.live(by: missing, now: now, on: database.sql)
            let listed = try await StoryStore.withHideFromLists(among: rows.map(\.id), on: database.sql)
            var loaded: [AccountID: [Story]] = [:]
            for row in rows {
                loaded[row.authorId, default: []].append(
                    Story(
                        id: row.id, author: row.authorId, audience: row.audience, createdAt: row.createdAt, expiresAt: row.expiresAt,
                        hasHideFromList: listed.contains(row.id)))
            }
            return loaded
        }
        var stories: [Story] = []
        stories.reserveCapacity(entries.values.reduce(0) { $0 + $1.count })
        for entry in entries.values {
            for story in entry where story.expiresAt > now { stories.append(story) }
        }
        return stories
    }
}
