import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on `story_highlights` and `story_highlight_items`.
enum HighlightStore {
    struct HighlightRow: Decodable, Sendable {
        var id: HighlightID
        var ownerId: AccountID
        var title: String
        var coverEmoji: String?
        var coverColor: String?
        var coverStoryId: StoryID?
        var pinned: Int
        var position: Int
        var createdAt: Int64
        var updatedAt: Int64
    }

    static func insert(_ row: HighlightRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO story_highlights (id, owner_id, title, cover_emoji, cover_color, cover_story_id, pinned, position, created_at, updated_at)
            VALUES (\(bind: row.id.rawValue), \(bind: row.ownerId.rawValue), \(bind: row.title), \(bind: row.coverEmoji), \(bind: row.coverColor),
                    \(bind: row.coverStoryId?.rawValue), \(bind: row.pinned), \(bind: row.position), \(bind: row.createdAt), \(bind: row.updatedAt))
            """).run()
    }

    static func update(_ row: HighlightRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE story_highlights SET title = \(bind: row.title), cover_emoji = \(bind: row.coverEmoji), cover_color = \(bind: row.coverColor),
                cover_story_id = \(bind: row.coverStoryId?.rawValue), pinned = \(bind: row.pinned), position = \(bind: row.position),
                updated_at = \(bind: row.updatedAt)
            WHERE id = \(bind: row.id.rawValue)
            """).run()
    }

    static func find(_ id: HighlightID, on db: any SQLDatabase, lock: String = "") async throws -> HighlightRow? {
        try await db.raw("SELECT * FROM story_highlights WHERE id = \(bind: id.rawValue)\(unsafeRaw: lock)").first()?.decode(HighlightRow.self)
    }

    /// `owner`'s highlights, pinned first, then in the owner's order.
    static func highlights(of owner: AccountID, on db: any SQLDatabase) async throws -> [HighlightRow] {
        try await db.raw("""
            SELECT * FROM story_highlights WHERE owner_id = \(bind: owner.rawValue) ORDER BY pinned DESC, position, id
            """).all().map { try $0.decode(HighlightRow.self) }
    }

    static func setPosition(_ id: HighlightID, _ position: Int, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE story_highlights SET position = \(bind: position) WHERE id = \(bind: id.rawValue)").run()
    }

    /// Replaces a highlight's stories with `stories`, in that order.
    static func setStories(of highlight: HighlightID, _ stories: [StoryID], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM story_highlight_items WHERE highlight_id = \(bind: highlight.rawValue)").run()
        guard !stories.isEmpty else { return }
        // Integers only, so spelling them out is safe.
        let rows = stories.enumerated().map { "(\(highlight.rawValue), \($0.element.rawValue), \($0.offset))" }.joined(separator: ", ")
        try await db.raw("INSERT INTO story_highlight_items (highlight_id, story_id, position) VALUES \(unsafeRaw: rows)").run()
    }

    /// Each highlight's stories, in order.
    static func stories(of highlights: [HighlightID], on db: any SQLDatabase) async throws -> [HighlightID: [StoryID]] {
        guard !highlights.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT highlight_id, story_id FROM story_highlight_items WHERE highlight_id IN (\(binds: highlights.map(\.rawValue)))
            ORDER BY highlight_id, position
            """).all()
        var result: [HighlightID: [StoryID]] = [:]
        for row in rows {
            result[try row.decode(column: "highlight_id", as: HighlightID.self), default: []].append(try row.decode(column: "story_id", as: StoryID.self))
        }
        return result
    }

    static func delete(_ id: HighlightID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM story_highlight_items WHERE highlight_id = \(bind: id.rawValue)").run()
        try await db.raw("DELETE FROM story_highlights WHERE id = \(bind: id.rawValue)").run()
    }

    /// A deleted story leaves every highlight, and stops being a cover.
    static func removeStory(_ story: StoryID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM story_highlight_items WHERE story_id = \(bind: story.rawValue)").run()
        try await db.raw("UPDATE story_highlights SET cover_story_id = NULL WHERE cover_story_id = \(bind: story.rawValue)").run()
    }

    static func deleteAll(of owner: AccountID, on db: any SQLDatabase) async throws {
        let owned = "SELECT id FROM story_highlights WHERE owner_id = \(owner.rawValue)"
        try await db.raw("DELETE FROM story_highlight_items WHERE highlight_id IN (\(unsafeRaw: owned))").run()
        try await db.raw("DELETE FROM story_highlights WHERE owner_id = \(bind: owner.rawValue)").run()
    }
}
