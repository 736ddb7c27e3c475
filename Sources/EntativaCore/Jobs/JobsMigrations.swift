import SQLKit

/// The kernel's own tables: the job queue, the event outbox, idempotency keys and rate-limit counters.
struct CreateKernelTables: SQLMigration {
    let name = "core.0001_kernel_tables"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "jobs")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("max_attempts", type: .int, .notNull)
            .column("run_at", type: .bigint, .notNull)
            .column("locked_until", type: .bigint)
            .column("last_error", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "jobs_claim").on("jobs").column("state").column("run_at").run()

        try await sql.create(table: "outbox_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("topic", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("dispatched_at", type: .bigint)
            .run()
        try await sql.create(index: "outbox_pending").on("outbox_events").column("dispatched_at").column("id").run()

        try await sql.create(table: "idempotency_keys")
            .column("scope", type: .text, .notNull)
            .column("key", type: .text, .notNull)
            .column("request_hash", type: .text, .notNull)
            .column("status", type: .int)
            .column("body", type: .text)
            .column("content_type", type: .text)
            .column("location", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("scope", "key")
            .run()

        try await sql.create(table: "rate_limits")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("window_start", type: .bigint, .notNull)
            .column("hits", type: .int, .notNull)
            .column("strikes", type: .int, .notNull)
            .column("blocked_until", type: .bigint, .notNull)
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["rate_limits", "idempotency_keys", "outbox_events", "jobs"] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}

/// Lanes and claim tokens (decision 0013). Rows queued before this run in the default lane.
struct AddJobLanes: SQLMigration {
    let name = "core.0005_job_lanes"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.alter(table: "jobs").column("lane", type: .text, .notNull, .default(SQLLiteral.string("default"))).run()
        try await sql.alter(table: "jobs").column("claim_token", type: .text).run()
        try await sql.create(index: "jobs_lane_claim").on("jobs").column("lane").column("state").column("run_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "jobs_lane_claim").run()
        try await sql.alter(table: "jobs").dropColumn("claim_token").run()
        try await sql.alter(table: "jobs").dropColumn("lane").run()
    }
}
