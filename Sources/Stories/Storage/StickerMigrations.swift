import EntativaCore
import SQLKit

/// Stickers placed on stories, viewers' answers to them, and answers reshared as stories.
struct CreateStickerTables: SQLMigration {
    let name = "stories.0003_stickers"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "story_stickers")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("story_id", type: .bigint, .notNull)
            .column("position", type: .int, .notNull)
            .column("kind", type: .text, .notNull)
            .column("x", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("y", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("scale", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("rotation", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("question", type: .text)
            // A JSON array of strings.
            .column("options", type: .text)
            .column("correct_option", type: .int)
            .column("title", type: .text)
            .column("ends_at", type: .bigint)
            .column("emoji", type: .text)
            .column("account_id", type: .bigint)
            .column("location_name", type: .text)
            .column("latitude", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .column("longitude", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .column("media_id", type: .bigint)
            .column("start_millis", type: .bigint)
            .run()
        try await sql.create(index: "story_stickers_story").on("story_stickers").column("story_id").column("position").run()

        try await sql.create(table: "story_sticker_responses")
            // Orders the author's list newest first and is its cursor.
            .column("id", type: .bigint, .notNull)
            .column("sticker_id", type: .bigint, .notNull)
            .column("story_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("option_index", type: .int)
            .column("value", type: .int)
            .column("answer_text", type: .text)
            .column("correct", type: .int)
            .column("responded_at", type: .bigint, .notNull)
            // Once per viewer per sticker.
            .primaryKey("sticker_id", "account_id")
            .run()
        try await sql.create(index: "story_sticker_responses_list").on("story_sticker_responses").column("sticker_id").column("id").run()
        try await sql.create(index: "story_sticker_responses_account").on("story_sticker_responses").column("account_id").run()
        try await sql.create(index: "story_sticker_responses_story").on("story_sticker_responses").column("story_id").run()

        // A question's answer reshared as a new story: the prompt and the text, copied, so the new
        // story outlives the old one's deletion and never names who answered.
        try await sql.raw("ALTER TABLE stories ADD COLUMN reshared_question TEXT").run()
        try await sql.raw("ALTER TABLE stories ADD COLUMN reshared_text TEXT").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.raw("ALTER TABLE stories DROP COLUMN reshared_text").run()
        try await sql.raw("ALTER TABLE stories DROP COLUMN reshared_question").run()
        try await sql.drop(table: "story_sticker_responses").ifExists().run()
        try await sql.drop(table: "story_stickers").ifExists().run()
    }
}
