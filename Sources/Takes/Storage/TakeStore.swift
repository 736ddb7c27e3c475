import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on `takes` and `take_sounds`.
enum TakeStore {
    struct TakeRow: Decodable, Sendable {
        var postId: PostID
        var authorId: AccountID
        var mediaId: MediaID
        var durationMs: Int64
        var width: Int
        var height: Int
        var orientation: TakeOrientation
        var coverAtMs: Int64
        var allowRemix: Bool
        var allowDuet: Bool
        var soundId: SoundID?
        var soundStartMs: Int64?
        var templateId: TemplateID?
        var createdAt: Int64
        var deletedAt: Int64?
        var viewCount: Int64
        var completionSum: Int64
        var rewatchSum: Int64
        var watchMsSum: Int64
    }

    struct SoundRow: Decodable, Sendable {
        var id: SoundID
        var mediaId: MediaID
        var creatorId: AccountID
        var originTakeId: PostID
        var title: String
        var durationMs: Int64
        var createdAt: Int64
    }

    static let chunk = 1_000

    /// The newest live Takes, read column by column: `TakeCandidates` reads thousands.
    static func newestEntries(limit: Int, on db: any SQLDatabase) async throws -> [(id: PostID, author: AccountID, createdAt: Int64)] {
        try await db.raw("""
            SELECT post_id, author_id, created_at FROM takes WHERE deleted_at IS NULL ORDER BY post_id DESC LIMIT \(bind: limit)
            """).all().map {
            (try $0.decode(column: "post_id", as: PostID.self), try $0.decode(column: "author_id", as: AccountID.self),
             try $0.decode(column: "created_at", as: Int64.self))
        }
    }

    /// The counters of the live Takes of `ids`.
    static func counters(of ids: [PostID], on db: any SQLDatabase) async throws -> [PostID: (views: Int64, completion: Int64, rewatches: Int64)] {
        var counters: [PostID: (views: Int64, completion: Int64, rewatches: Int64)] = [:]
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let slice = ids[start..<min(start + chunk, ids.count)].map(\.rawValue)
            for row in try await db.raw("""
                SELECT post_id, view_count, completion_sum, rewatch_sum FROM takes WHERE post_id IN (\(binds: slice)) AND deleted_at IS NULL
                """).all() {
                counters[try row.decode(column: "post_id", as: PostID.self)] = (
                    try row.decode(column: "view_count", as: Int64.self), try row.decode(column: "completion_sum", as: Int64.self),
                    try row.decode(column: "rewatch_sum", as: Int64.self)
                )
            }
        }
        return counters
    }

    static func insert(_ row: TakeRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO takes (post_id, author_id, media_id, duration_ms, width, height, orientation, cover_at_ms, allow_remix, allow_duet,
                               sound_id, sound_start_ms, template_id, created_at)
            VALUES (\(bind: row.postId.rawValue), \(bind: row.authorId.rawValue), \(bind: row.mediaId.rawValue), \(bind: row.durationMs),
                    \(bind: row.width), \(bind: row.height), \(bind: row.orientation.rawValue), \(bind: row.coverAtMs), \(bind: row.allowRemix),
                    \(bind: row.allowDuet), \(bind: row.soundId?.rawValue), \(bind: row.soundStartMs), \(bind: row.templateId?.rawValue),
                    \(bind: row.createdAt))
            """).run()
        try await db.announceChange(to: TakeCandidates.windowCacheName, key: String(TakeCandidates.windowKey))
    }

    static func find(_ id: PostID, on db: any SQLDatabase, lock: String = "") async throws -> TakeRow? {
        try await db.raw("SELECT * FROM takes WHERE post_id = \(bind: id.rawValue)\(unsafeRaw: lock)").first()?.decode(TakeRow.self)
    }

    /// Of `ids`, the Takes deleted (their rows stay: a trend may still credit one).
    static func deleted(among ids: [PostID], on db: any SQLDatabase) async throws -> Set<PostID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT post_id FROM takes WHERE post_id IN (\(binds: ids.map(\.rawValue))) AND deleted_at IS NOT NULL
            """).all().map { try $0.decode(column: "post_id", as: PostID.self) })
    }

    /// The live Takes of `ids`, in no order.
    static func live(_ ids: [PostID], on db: any SQLDatabase) async throws -> [TakeRow] {
        var rows: [TakeRow] = []
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let slice = ids[start..<min(start + chunk, ids.count)].map(\.rawValue)
            rows += try await db.raw("SELECT * FROM takes WHERE post_id IN (\(binds: slice)) AND deleted_at IS NULL").all().map { try $0.decode(TakeRow.self) }
        }
        return rows
    }

    static func update(_ id: PostID, coverAtMs: Int64, allowRemix: Bool, allowDuet: Bool, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE takes SET cover_at_ms = \(bind: coverAtMs), allow_remix = \(bind: allowRemix), allow_duet = \(bind: allowDuet)
            WHERE post_id = \(bind: id.rawValue)
            """).run()
    }

    /// Answers whether the Take was live until now.
    static func markDeleted(_ id: PostID, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let deleted = try await db.raw("""
            UPDATE takes SET deleted_at = \(bind: now) WHERE post_id = \(bind: id.rawValue) AND deleted_at IS NULL RETURNING post_id
            """).first() != nil
        if deleted {
            try await db.announceChange(to: TakeCandidates.windowCacheName, key: String(TakeCandidates.windowKey))
            try await db.announceChange(to: TakeCandidates.countersCacheName, key: id.description)
        }
        return deleted
    }

    /// One author's live Takes, newest first, below `before`.
    static func by(_ author: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [TakeRow] {
        try await db.raw("""
            SELECT * FROM takes WHERE author_id = \(bind: author.rawValue) AND deleted_at IS NULL AND post_id < \(bind: before ?? Int64.max)
            ORDER BY post_id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(TakeRow.self) }
    }

    /// The live Takes using a sound, newest first, below `before`.
    static func using(sound: SoundID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [TakeRow] {
        try await db.raw("""
            SELECT * FROM takes WHERE sound_id = \(bind: sound.rawValue) AND deleted_at IS NULL AND post_id < \(bind: before ?? Int64.max)
            ORDER BY post_id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(TakeRow.self) }
    }

    // MARK: Sounds

    static func insertSound(_ row: SoundRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO take_sounds (id, media_id, creator_id, origin_take_id, title, duration_ms, created_at)
            VALUES (\(bind: row.id.rawValue), \(bind: row.mediaId.rawValue), \(bind: row.creatorId.rawValue), \(bind: row.originTakeId.rawValue), \(bind: row.title),
                    \(bind: row.durationMs), \(bind: row.createdAt))
            """).run()
    }

    static func sounds(_ ids: [SoundID], on db: any SQLDatabase) async throws -> [SoundRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM take_sounds WHERE id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(SoundRow.self) }
    }

    /// Live Takes per sound.
    static func soundUses(_ ids: [SoundID], on db: any SQLDatabase) async throws -> [SoundID: Int] {
        guard !ids.isEmpty else { return [:] }
        var uses: [SoundID: Int] = [:]
        for row in try await db.raw("""
            SELECT sound_id, COUNT(*) AS n FROM takes WHERE sound_id IN (\(binds: ids.map(\.rawValue))) AND deleted_at IS NULL GROUP BY sound_id
            """).all() {
            uses[try row.decode(column: "sound_id", as: SoundID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return uses
    }

    // MARK: Erasure

    /// Everything about `account`'s Takes and sounds goes, and its views of others' Takes, whose
    /// counters drop by what those views added; templates its Takes used count them no more.
    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        let views = try await db.raw("""
            SELECT take_id, CAST(COUNT(*) AS BIGINT) AS views, CAST(SUM(completion) AS BIGINT) AS completion,
                   CAST(SUM(rewatches) AS BIGINT) AS rewatches, CAST(SUM(watch_ms) AS BIGINT) AS watch_ms
            FROM take_views WHERE viewer_id = \(bind: id) GROUP BY take_id
            """).all()
        for row in views {
            let take = try row.decode(column: "take_id", as: Int64.self)
            try await db.raw("""
                UPDATE takes SET view_count = view_count - \(bind: try row.decode(column: "views", as: Int64.self)),
                    completion_sum = completion_sum - \(bind: try row.decode(column: "completion", as: Int64.self)),
                    rewatch_sum = rewatch_sum - \(bind: try row.decode(column: "rewatches", as: Int64.self)),
                    watch_ms_sum = watch_ms_sum - \(bind: try row.decode(column: "watch_ms", as: Int64.self))
                WHERE post_id = \(bind: take)
                """).run()
        }
        let templates = try await db.raw("""
            SELECT template_id, CAST(COUNT(*) AS BIGINT) AS uses FROM takes
            WHERE author_id = \(bind: id) AND template_id IS NOT NULL AND deleted_at IS NULL GROUP BY template_id
            """).all()
        for row in templates {
            try await db.raw("""
                UPDATE take_templates SET use_count = use_count - \(bind: try row.decode(column: "uses", as: Int64.self))
                WHERE id = \(bind: try row.decode(column: "template_id", as: Int64.self))
                """).run()
        }
        try await db.raw("DELETE FROM take_views WHERE viewer_id = \(bind: id) OR take_id IN (SELECT post_id FROM takes WHERE author_id = \(bind: id))").run()
        try await db.raw("DELETE FROM takes WHERE author_id = \(bind: id)").run()
        try await db.raw("DELETE FROM take_sounds WHERE creator_id = \(bind: id)").run()
        try await db.announceChange(to: TakeCandidates.windowCacheName, key: "*")
        try await db.announceChange(to: TakeCandidates.countersCacheName, key: "*")
    }
}
