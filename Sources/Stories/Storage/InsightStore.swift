import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on `story_navigation` and `story_replies`, and the sums a story's insights read.
enum InsightStore {
    /// Adds `count` `action`s by `viewer` on `story`, never past `cap` per viewer, story and action.
    static func navigate(story: StoryID, viewer: AccountID, action: StoryNavigationAction, count: Int, cap: Int, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO story_navigation (story_id, viewer_id, action, count)
            VALUES (\(bind: story.rawValue), \(bind: viewer.rawValue), \(bind: action.rawValue), \(bind: min(count, cap)))
            ON CONFLICT (story_id, viewer_id, action) DO UPDATE SET count =
                CASE WHEN story_navigation.count + excluded.count > \(bind: cap) THEN \(bind: cap) ELSE story_navigation.count + excluded.count END
            """).run()
    }

    static func insertReply(id: Int64, story: StoryID, sender: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO story_replies (id, story_id, sender_id, created_at) VALUES (\(bind: id), \(bind: story.rawValue), \(bind: sender.rawValue), \(bind: now))
            """).run()
    }

    struct ViewTotals: Decodable, Sendable {
        var views: Int?
        var viewers: Int
    }

    static func viewTotals(of story: StoryID, on db: any SQLDatabase) async throws -> ViewTotals {
        try await db.raw("""
            SELECT SUM(times) AS views, COUNT(*) AS viewers FROM story_views WHERE story_id = \(bind: story.rawValue)
            """).first()?.decode(ViewTotals.self) ?? ViewTotals(views: 0, viewers: 0)
    }

    /// The clock hour (as hours since the epoch) with the most first views, the earliest on a tie.
    static func peakHour(of story: StoryID, on db: any SQLDatabase) async throws -> (hour: Int64, views: Int)? {
        guard let row = try await db.raw("""
            SELECT viewed_at / 3600000 AS hour, COUNT(*) AS views FROM story_views WHERE story_id = \(bind: story.rawValue)
            GROUP BY viewed_at / 3600000 ORDER BY views DESC, hour ASC LIMIT 1
            """).first() else { return nil }
        return (try row.decode(column: "hour", as: Int64.self), try row.decode(column: "views", as: Int.self))
    }

    static func answersByKind(of story: StoryID, on db: any SQLDatabase) async throws -> [String: Int] {
        let rows = try await db.raw("""
            SELECT s.kind AS kind, COUNT(r.account_id) AS answers FROM story_stickers s
            LEFT JOIN story_sticker_responses r ON r.sticker_id = s.id
            WHERE s.story_id = \(bind: story.rawValue) GROUP BY s.kind
            """).all()
        var result: [String: Int] = [:]
        for row in rows { result[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "answers", as: Int.self) }
        return result
    }

    static func replies(to story: StoryID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM story_replies WHERE story_id = \(bind: story.rawValue)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func navigation(of story: StoryID, on db: any SQLDatabase) async throws -> [StoryNavigationAction: Int] {
        let rows = try await db.raw("""
            SELECT action, SUM(count) AS n FROM story_navigation WHERE story_id = \(bind: story.rawValue) GROUP BY action
            """).all()
        var result: [StoryNavigationAction: Int] = [:]
        for row in rows {
            if let action = StoryNavigationAction(rawValue: try row.decode(column: "action", as: String.self)) {
                result[action] = try row.decode(column: "n", as: Int.self)
            }
        }
        return result
    }

    static func deleteAll(ofStory story: StoryID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM story_navigation WHERE story_id = \(bind: story.rawValue)").run()
        try await db.raw("DELETE FROM story_replies WHERE story_id = \(bind: story.rawValue)").run()
    }

    /// What `account` did on anyone's stories, and what was done on its own.
    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        let owned = "SELECT id FROM stories WHERE author_id = \(account.rawValue)"
        try await db.raw("DELETE FROM story_navigation WHERE story_id IN (\(unsafeRaw: owned)) OR viewer_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM story_replies WHERE story_id IN (\(unsafeRaw: owned)) OR sender_id = \(bind: account.rawValue)").run()
    }
}
