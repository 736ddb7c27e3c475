import SQLKit

/// The resume log: every event sent to sockets, kept for twice the resume window.
struct CreateRealtimeEvents: SQLMigration {
    let name = "core.0003_realtime_events"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "realtime_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull)
            .column("type", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "realtime_events_account").on("realtime_events").column("account_id").column("id").run()
        try await sql.create(index: "realtime_events_created").on("realtime_events").column("created_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "realtime_events").ifExists().run()
    }
}
