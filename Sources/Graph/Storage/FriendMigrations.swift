import EntativaCore
import SQLKit

struct CreateFriendTables: SQLMigration {
    let name = "graph.0002_friends"

    func prepare(sql: any SQLDatabase) async throws {
        // Two rows per friendship, one from each side, so "my friends" is one indexed range.
        try await sql.create(table: "friendships")
            .column("account_id", type: .bigint, .notNull)
            .column("friend_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("account_id", "friend_id")
            .run()
        try await sql.create(table: "friend_requests")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("from_id", type: .bigint, .notNull)
            .column("to_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("from_id", "to_id")
            .run()
        try await sql.create(index: "friend_requests_to").on("friend_requests").column("to_id").column("id").run()
        // Every request ever sent, for the daily cap; pending requests alone would forget declined ones.
        try await sql.create(table: "friend_request_sends")
            .column("from_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "friend_request_sends_from").on("friend_request_sends").column("from_id").column("created_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["friend_request_sends", "friend_requests", "friendships"] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
