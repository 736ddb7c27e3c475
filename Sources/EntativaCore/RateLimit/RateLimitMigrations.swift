import SQLKit

/// `expires_at`: when a counter remembers nothing a fresh one would not, so the purge job can
/// delete it without knowing the rule it counts for.
struct AddRateLimitExpiry: SQLMigration {
    let name = "core.0004_rate_limit_expiry"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.raw("ALTER TABLE rate_limits ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0").run()
        // The rules of rows written before are unknown here; a day past their window or block
        // outlasts every rule's window and back-off, so no block or strike is forgotten early.
        try await sql.raw("""
            UPDATE rate_limits
            SET expires_at = (CASE WHEN blocked_until > window_start THEN blocked_until ELSE window_start END) + 86400000
            """).run()
        try await sql.create(index: "rate_limits_expiry").on("rate_limits").column("expires_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "rate_limits_expiry").run()
        try await sql.raw("ALTER TABLE rate_limits DROP COLUMN expires_at").run()
    }
}
