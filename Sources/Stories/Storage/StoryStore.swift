import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on the `stories`, `story_hidden_from` and `story_views` tables.
enum StoryStore {
    struct StoryRow: Decodable, Sendable {
        var id: StoryID
        var authorId: AccountID
        var caption: String
        var createdAt: Int64
        var expiresAt: Int64
        var archivedAt: Int64?
        var mediaId: MediaID?
        var audience: StoryAudience
        var displayMillis: Int64
        var audienceSize: Int64
        var viewCount: Int64
        var resharedQuestion: String?
        var resharedText: String?
        var resharedFrom: AccountID?
    }

    struct NewStory: Sendable {
        var id: StoryID
        var author: AccountID
        var mediaID: MediaID
        var caption: String
        var audience: StoryAudience
        var displayMillis: Int64
        var audienceSize: Int
        var now: Int64
        var expiresAt: Int64
        var reshared: ResharedAnswer?
        var resharedFrom: AccountID?
    }

    /// In-list bounds: a tray may read a few thousand authors' stories.
    static let chunk = 1_000

    /// `LiveStories` keeps each author's live stories; every statement that adds or removes one
    /// announces the author here (or `*` for many).
    static let liveCacheName = "stories.live"

    static func insert(_ story: NewStory, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO stories (id, author_id, caption, created_at, expires_at, media_id, audience, display_millis, audience_size,
                                 reshared_question, reshared_text, reshared_from)
            VALUES (\(bind: story.id.rawValue), \(bind: story.author.rawValue), \(bind: story.caption), \(bind: story.now),
                    \(bind: story.expiresAt), \(bind: story.mediaID.rawValue), \(bind: story.audience.rawValue),
                    \(bind: story.displayMillis), \(bind: story.audienceSize), \(bind: story.reshared?.question), \(bind: story.reshared?.text),
                    \(bind: story.resharedFrom?.rawValue))
            """).run()
        try await db.announceChange(to: liveCacheName, key: story.author.description)
    }

    /// The skeleton's insert, kept for tests that need a story without media.
    static func insert(id: StoryID, author: AccountID, caption: String, now: Int64, expiresAt: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO stories (id, author_id, caption, created_at, expires_at)
            VALUES (\(bind: id.rawValue), \(bind: author.rawValue), \(bind: caption), \(bind: now), \(bind: expiresAt))
            """).run()
    }

    static func hide(_ story: StoryID, from accounts: [AccountID], on db: any SQLDatabase) async throws {
        guard !accounts.isEmpty else { return }
        for start in stride(from: 0, to: accounts.count, by: chunk) {
            // Integers only, so spelling them out is safe and keeps the statement's binds few.
            let rows = accounts[start..<min(start + chunk, accounts.count)].map { "(\(story.rawValue), \($0.rawValue))" }.joined(separator: ", ")
            try await db.raw("INSERT INTO story_hidden_from (story_id, account_id) VALUES \(unsafeRaw: rows) ON CONFLICT DO NOTHING").run()
        }
    }

    static func find(_ id: StoryID, on db: any SQLDatabase, lock: String = "") async throws -> StoryRow? {
        try await db.raw("SELECT * FROM stories WHERE id = \(bind: id.rawValue)\(unsafeRaw: lock)").first()?.decode(StoryRow.self)
    }

    /// Of `ids`, the stories that exist, locked as `lock` says until the transaction ends: what is
    /// written about a story (a view, an answer) is written only while the story is there.
    static func existing(_ ids: [StoryID], on db: any SQLDatabase, lock: String) async throws -> Set<StoryID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT id FROM stories WHERE id IN (\(binds: ids.map(\.rawValue)))\(unsafeRaw: lock)
            """).all().map { try $0.decode(column: "id", as: StoryID.self) })
    }

    static func find(_ ids: [StoryID], on db: any SQLDatabase) async throws -> [StoryRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM stories WHERE id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(StoryRow.self) }
    }

    /// The stories of `authors` still in their trays at `now`, oldest first (the order they play in).
    static func live(by authors: [AccountID], now: Int64, on db: any SQLDatabase) async throws -> [StoryRow] {
        var rows: [StoryRow] = []
        for start in stride(from: 0, to: authors.count, by: chunk) {
            let slice = authors[start..<min(start + chunk, authors.count)].map(\.rawValue)
            rows += try await db.raw("""
                SELECT * FROM stories WHERE author_id IN (\(binds: slice)) AND expires_at > \(bind: now) AND media_id IS NOT NULL ORDER BY id
                """).all().map { try $0.decode(StoryRow.self) }
        }
        return rows.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    static func liveCount(of author: AccountID, now: Int64, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM stories WHERE author_id = \(bind: author.rawValue) AND expires_at > \(bind: now) AND media_id IS NOT NULL
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Of `stories`, those hidden from `viewer`.
    static func hidden(from viewer: AccountID, among stories: [StoryID], on db: any SQLDatabase) async throws -> Set<StoryID> {
        var hidden = Set<StoryID>()
        for start in stride(from: 0, to: stories.count, by: chunk) {
            let slice = stories[start..<min(start + chunk, stories.count)].map(\.rawValue)
            hidden.formUnion(try await db.raw("""
                SELECT story_id FROM story_hidden_from WHERE account_id = \(bind: viewer.rawValue) AND story_id IN (\(binds: slice))
                """).all().map { try $0.decode(column: "story_id", as: StoryID.self) })
        }
        return hidden
    }

    /// Of `stories`, those with a hide-from list.
    static func withHideFromLists(among stories: [StoryID], on db: any SQLDatabase) async throws -> Set<StoryID> {
        var listed = Set<StoryID>()
        for start in stride(from: 0, to: stories.count, by: chunk) {
            let slice = stories[start..<min(start + chunk, stories.count)].map(\.rawValue)
            listed.formUnion(try await db.raw("SELECT DISTINCT story_id FROM story_hidden_from WHERE story_id IN (\(binds: slice))").all()
                .map { try $0.decode(column: "story_id", as: StoryID.self) })
        }
        return listed
    }

    /// The stories with IDs from `first` on that `viewer` has seen: one range of the viewer's own
    /// views, since story IDs grow with time and a tray's stories are all from the last day.
    static func seen(by viewer: AccountID, from first: StoryID, on db: any SQLDatabase) async throws -> Set<StoryID> {
        Set(try await db.raw("""
            SELECT story_id FROM story_views WHERE viewer_id = \(bind: viewer.rawValue) AND story_id >= \(bind: first.rawValue)
            """).all().map { try $0.decode(column: "story_id", as: StoryID.self) })
    }

    /// The hide-from lists of `stories` (only their author reads them), each in account order.
    static func hiddenLists(of stories: [StoryID], on db: any SQLDatabase) async throws -> [StoryID: [AccountID]] {
        var lists: [StoryID: [AccountID]] = [:]
        for start in stride(from: 0, to: stories.count, by: chunk) {
            let slice = stories[start..<min(start + chunk, stories.count)].map(\.rawValue)
            for row in try await db.raw("""
                SELECT story_id, account_id FROM story_hidden_from WHERE story_id IN (\(binds: slice)) ORDER BY story_id, account_id
                """).all() {
                lists[try row.decode(column: "story_id", as: StoryID.self), default: []].append(try row.decode(column: "account_id", as: AccountID.self))
            }
        }
        return lists
    }

    /// Records a view of `story` by `viewer`: the first one as a row (answering true), later ones
    /// as a count on it that stops at `maxTimes`, so one viewer cannot inflate a story's views.
    static func recordView(id: Int64, story: StoryID, viewer: AccountID, now: Int64, maxTimes: Int, on db: any SQLDatabase) async throws -> Bool {
        let inserted = try await db.raw("""
            INSERT INTO story_views (id, story_id, viewer_id, viewed_at) VALUES (\(bind: id), \(bind: story.rawValue), \(bind: viewer.rawValue), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING story_id
            """).all()
        guard !inserted.isEmpty else {
            try await db.raw("""
                UPDATE story_views SET times = times + 1
                WHERE story_id = \(bind: story.rawValue) AND viewer_id = \(bind: viewer.rawValue) AND times < \(bind: maxTimes)
                """).run()
            return false
        }
        try await db.raw("UPDATE stories SET view_count = view_count + 1 WHERE id = \(bind: story.rawValue)").run()
        return true
    }

    /// Of `stories`, those `viewer` has seen.
    static func seen(by viewer: AccountID, among stories: [StoryID], on db: any SQLDatabase) async throws -> Set<StoryID> {
        var seen = Set<StoryID>()
        for start in stride(from: 0, to: stories.count, by: chunk) {
            let slice = stories[start..<min(start + chunk, stories.count)].map(\.rawValue)
            seen.formUnion(try await db.raw("""
                SELECT story_id FROM story_views WHERE viewer_id = \(bind: viewer.rawValue) AND story_id IN (\(binds: slice))
                """).all().map { try $0.decode(column: "story_id", as: StoryID.self) })
        }
        return seen
    }

    struct ViewRow: Decodable, Sendable {
        var id: Int64
        var viewerId: AccountID
        var viewedAt: Int64
    }

    /// Who saw `story`, newest view first, with view IDs below `before`.
    static func views(of story: StoryID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [ViewRow] {
        try await db.raw("""
            SELECT id, viewer_id, viewed_at FROM story_views WHERE story_id = \(bind: story.rawValue) AND id < \(bind: before ?? Int64.max)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(ViewRow.self) }
    }

    /// `owner`'s archived stories with IDs below `before`, newest first.
    static func archived(of owner: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [StoryRow] {
        try await db.raw("""
            SELECT * FROM stories
            WHERE author_id = \(bind: owner.rawValue) AND archived_at IS NOT NULL AND id < \(bind: before ?? Int64.max)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(StoryRow.self) }
    }

    /// Moves every story whose time is up into its owner's archive; answers how many moved.
    static func archiveExpired(now: Int64, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            UPDATE stories SET archived_at = expires_at WHERE archived_at IS NULL AND expires_at <= \(bind: now) RETURNING id
            """).all().count
    }

    static func delete(_ story: StoryID, author: AccountID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: liveCacheName, key: author.description)
        try await StickerStore.deleteAll(ofStory: story, on: db)
        try await InsightStore.deleteAll(ofStory: story, on: db)
        try await HighlightStore.removeStory(story, on: db)
        try await db.raw("DELETE FROM story_views WHERE story_id = \(bind: story.rawValue)").run()
        try await db.raw("DELETE FROM story_hidden_from WHERE story_id = \(bind: story.rawValue)").run()
        try await db.raw("DELETE FROM stories WHERE id = \(bind: story.rawValue)").run()
    }

    /// Everything of `account`'s: its stories with their views and lists, and its views of others'.
    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: liveCacheName, key: account.description)
        try await StickerStore.deleteAll(of: account, on: db)
        try await HighlightStore.deleteAll(of: account, on: db)
        try await InsightStore.deleteAll(of: account, on: db)
        // Its words leave the stories that reshared them, and its views leave the counts.
        try await db.raw("""
            UPDATE stories SET reshared_question = NULL, reshared_text = NULL, reshared_from = NULL WHERE reshared_from = \(bind: account.rawValue)
            """).run()
        try await db.raw("""
            UPDATE stories SET view_count = view_count - 1
            WHERE id IN (SELECT story_id FROM story_views WHERE viewer_id = \(bind: account.rawValue)) AND author_id <> \(bind: account.rawValue)
            """).run()
        let owned = "SELECT id FROM stories WHERE author_id = \(account.rawValue)"
        try await db.raw("DELETE FROM story_views WHERE story_id IN (\(unsafeRaw: owned)) OR viewer_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM story_hidden_from WHERE story_id IN (\(unsafeRaw: owned)) OR account_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM stories WHERE author_id = \(bind: account.rawValue)").run()
    }
}
