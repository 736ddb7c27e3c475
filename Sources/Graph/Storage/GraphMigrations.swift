import EntativaCore
import SQLKit

struct CreateGraphTables: SQLMigration {
    let name = "graph.0001_follows_blocks_mutes"

    func prepare(sql: any SQLDatabase) async throws {
        // Each table is an edge from one account to another, unique per pair.
        for (table, from, to) in [
            ("follows", "follower_id", "followee_id"), ("follow_requests", "requester_id", "target_id"),
            ("blocks", "blocker_id", "blocked_id"), ("mutes", "muter_id", "muted_id"), ("close_friends", "owner_id", "friend_id"),
        ] {
            try await sql.create(table: table)
                .column(from, type: .bigint, .notNull)
                .column(to, type: .bigint, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .primaryKey(from, to)
                .run()
            try await sql.create(index: "\(table)_reverse").on(table).column(to).column(from).run()
        }
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["close_friends", "mutes", "blocks", "follow_requests", "follows"] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
