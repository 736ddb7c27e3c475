import EntativaCore
import SQLKit

struct CreateMediaTables: SQLMigration {
    let name = "media.0001_media_and_uploads"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "media")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("owner_id", type: .bigint, .notNull)
            .column("kind", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("progress", type: .int, .notNull)
            .column("failure_reason", type: .text)
            .column("size", type: .bigint, .notNull)
            .column("width", type: .int)
            .column("height", type: .int)
            .column("duration_ms", type: .bigint)
            .column("alt_text", type: .text)
            .column("focal_x", type: .real)
            .column("focal_y", type: .real)
            .column("blurhash", type: .text)
            .column("dominant_color", type: .text)
            .column("waveform", type: .text)
            .column("variants", type: .text, .notNull)
            .column("is_private", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("original_key", type: .text, .notNull)
            // Set by the domain that uses the media (a post, a story, a message); null means unattached.
            .column("attached_to", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "media_owner").on("media").column("owner_id").column("id").run()
        try await sql.create(index: "media_unattached").on("media").column("attached_to").column("created_at").run()

        try await sql.create(table: "uploads")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("owner_id", type: .bigint, .notNull)
            .column("length", type: .bigint, .notNull)
            .column("upload_offset", type: .bigint, .notNull)
            .column("metadata", type: .text, .notNull)
            .column("media_id", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "uploads_expiry").on("uploads").column("expires_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "uploads").ifExists().run()
        try await sql.drop(table: "media").ifExists().run()
    }
}
