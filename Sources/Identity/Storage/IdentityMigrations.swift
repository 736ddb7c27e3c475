import EntativaCore
import SQLKit

struct CreateIdentityTables: SQLMigration {
    let name = "identity.0001_accounts_sessions_tokens"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "accounts")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("username", type: .text, .notNull)
            // Lower-cased copies carry the uniqueness, so "Ada" and "ada" cannot both exist.
            .column("username_key", type: .text, .notNull, .unique)
            .column("email", type: .text)
            .column("email_key", type: .text, .unique)
            .column("email_verified_at", type: .bigint)
            .column("password_hash", type: .text, .notNull)
            .column("display_name", type: .text, .notNull)
            .column("bio", type: .text, .notNull)
            .column("links", type: .text, .notNull)
            .column("is_private", type: .custom(SQLRaw("BOOLEAN")), .notNull)
            .column("role", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("suspended_at", type: .bigint)
            .column("suspension_reason", type: .text)
            .column("deleted_at", type: .bigint)
            .column("totp_secret", type: .text)
            .column("totp_pending_secret", type: .text)
            .column("totp_enabled_at", type: .bigint)
            .column("totp_last_step", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()

        try await sql.create(table: "sessions")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull, .references("accounts", "id"))
            .column("device_name", type: .text, .notNull)
            .column("ip", type: .text, .notNull)
            .column("user_agent", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("last_used_at", type: .bigint, .notNull)
            .column("revoked_at", type: .bigint)
            .column("revoke_reason", type: .text)
            .run()
        try await sql.create(index: "sessions_account").on("sessions").column("account_id").column("id").run()

        try await sql.create(table: "refresh_tokens")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("session_id", type: .bigint, .notNull, .references("sessions", "id"))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .column("used_at", type: .bigint)
            .run()
        try await sql.create(index: "refresh_tokens_session").on("refresh_tokens").column("session_id").run()

        try await sql.create(table: "recovery_codes")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull, .references("accounts", "id"))
            .column("code_hash", type: .text, .notNull)
            .column("used_at", type: .bigint)
            .run()
        try await sql.create(index: "recovery_codes_account").on("recovery_codes").column("account_id").run()

        try await sql.create(table: "account_tokens")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull, .references("accounts", "id"))
            .column("purpose", type: .text, .notNull)
            .column("token_hash", type: .text, .notNull, .unique)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .column("used_at", type: .bigint)
            .run()
        try await sql.create(index: "account_tokens_account").on("account_tokens").column("account_id").run()

        try await sql.create(table: "security_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull, .references("accounts", "id"))
            .column("kind", type: .text, .notNull)
            .column("ip", type: .text, .notNull)
            .column("user_agent", type: .text, .notNull)
            .column("detail", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "security_events_account").on("security_events").column("account_id").column("id").run()

        try await sql.create(table: "signing_keys")
            .column("kid", type: .text, .primaryKey(autoIncrement: false))
            .column("algorithm", type: .text, .notNull)
            .column("private_key", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["signing_keys", "security_events", "account_tokens", "recovery_codes", "refresh_tokens", "sessions", "accounts"] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
