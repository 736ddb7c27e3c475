import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on `take_views`, and the counters on `takes` that views feed.
enum ViewStore {
    struct ViewRow: Decodable, Sendable {
        var watchMs: Int64
        var completion: Int
        var rewatches: Int
    }

    static func find(take: PostID, viewer: AccountID, day: Int64, on db: any SQLDatabase, lock: String) async throws -> ViewRow? {
        try await db.raw("""
            SELECT watch_ms, completion, rewatches FROM take_views
            WHERE take_id = \(bind: take.rawValue) AND viewer_id = \(bind: viewer.rawValue) AND day = \(bind: day)\(unsafeRaw: lock)
            """).first()?.decode(ViewRow.self)
    }

    /// An empty view for the day unless one exists; answers whether this made it. Concurrent
    /// reports then meet on the row's lock instead of both inserting.
    static func open(take: PostID, viewer: AccountID, day: Int64, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO take_views (take_id, viewer_id, day, first_viewed_at, watch_ms, completion, rewatches)
            VALUES (\(bind: take.rawValue), \(bind: viewer.rawValue), \(bind: day), \(bind: now), 0, 0, 0)
            ON CONFLICT (take_id, viewer_id, day) DO NOTHING RETURNING take_id
            """).first() != nil
    }

    static func update(take: PostID, viewer: AccountID, day: Int64, view: ViewRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE take_views SET watch_ms = \(bind: view.watchMs), completion = \(bind: view.completion), rewatches = \(bind: view.rewatches)
            WHERE take_id = \(bind: take.rawValue) AND viewer_id = \(bind: viewer.rawValue) AND day = \(bind: day)
            """).run()
    }

    /// Adds to a Take's counters what one report changed.
    static func bump(take: PostID, views: Int, completion: Int, rewatches: Int, watchMs: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE takes SET view_count = view_count + \(bind: views), completion_sum = completion_sum + \(bind: completion),
                             rewatch_sum = rewatch_sum + \(bind: rewatches), watch_ms_sum = watch_ms_sum + \(bind: watchMs)
            WHERE post_id = \(bind: take.rawValue)
            """).run()
        try await db.announceChange(to: TakeCandidates.countersCacheName, key: take.description)
    }

    /// Of `takes`, those `viewer` first saw at or before `before`.
    static func seen(by viewer: AccountID, among takes: [PostID], before: Int64, on db: any SQLDatabase) async throws -> Set<PostID> {
        var seen = Set<PostID>()
        for start in stride(from: 0, to: takes.count, by: TakeStore.chunk) {
            let slice = takes[start..<min(start + TakeStore.chunk, takes.count)].map(\.rawValue)
            seen.formUnion(try await db.raw("""
                SELECT DISTINCT take_id FROM take_views
                WHERE viewer_id = \(bind: viewer.rawValue) AND take_id IN (\(binds: slice)) AND first_viewed_at <= \(bind: before)
                """).all().map { try $0.decode(column: "take_id", as: PostID.self) })
        }
        return seen
    }
}
