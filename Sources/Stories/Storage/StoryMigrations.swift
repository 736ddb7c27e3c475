import EntativaCore
import SQLKit

struct CreateStoryTables: SQLMigration {
    let name = "stories.0001_stories"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "stories")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("author_id", type: .bigint, .notNull)
            .column("caption", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            // Set by the sweep once the story has expired; null while it is in the tray.
            .column("archived_at", type: .bigint)
            .run()
        // The archive lists one owner's archived stories newest first.
        try await sql.create(index: "stories_author_archive").on("stories").column("author_id").column("archived_at").column("id").run()
        // The sweep finds what is still in a tray and due.
        try await sql.create(index: "stories_expiry").on("stories").column("archived_at").column("expires_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "stories").ifExists().run()
    }
}
