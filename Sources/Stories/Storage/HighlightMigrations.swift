import EntativaCore
import SQLKit

/// Highlights: ordered sets of an owner's stories kept on the profile past their day.
struct CreateHighlightTables: SQLMigration {
    let name = "stories.0004_highlights"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "story_highlights")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("owner_id", type: .bigint, .notNull)
            .column("title", type: .text, .notNull)
            .column("cover_emoji", type: .text)
            .column("cover_color", type: .text)
            .column("cover_story_id", type: .bigint)
            .column("pinned", type: .int, .notNull)
            .column("position", type: .int, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "story_highlights_owner").on("story_highlights").column("owner_id").column("position").run()

        try await sql.create(table: "story_highlight_items")
            .column("highlight_id", type: .bigint, .notNull)
            .column("story_id", type: .bigint, .notNull)
            .column("position", type: .int, .notNull)
            .primaryKey("highlight_id", "story_id")
            .run()
        // Deleting a story takes it out of every highlight.
        try await sql.create(index: "story_highlight_items_story").on("story_highlight_items").column("story_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "story_highlight_items").ifExists().run()
        try await sql.drop(table: "story_highlights").ifExists().run()
    }
}
