import EntativaCore
import SQLKit

struct CreateDeviceTables: SQLMigration {
    let name = "messaging.0001_devices_prekeys"

    func prepare(sql: any SQLDatabase) async throws {
        // Public keys only (base64 of libsignal's serialization): the private halves never leave
        // the devices.
        try await sql.create(table: "messaging_devices")
            .column("account_id", type: .bigint, .notNull)
            .column("device_id", type: .int, .notNull)
            .column("name", type: .text, .notNull)
            .column("registration_id", type: .int, .notNull)
            .column("identity_key", type: .text, .notNull)
            .column("signed_prekey_id", type: .int, .notNull)
            .column("signed_prekey", type: .text, .notNull)
            .column("signed_prekey_signature", type: .text, .notNull)
            // SHA-256 (hex) of the device's secret; the secret itself is shown once, at registration.
            .column("secret_hash", type: .text, .notNull)
            // Null while the device waits for an active one to approve it.
            .column("approved_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("account_id", "device_id")
            .run()
        try await sql.create(table: "messaging_one_time_prekeys")
            .column("account_id", type: .bigint, .notNull)
            .column("device_id", type: .int, .notNull)
            .column("key_id", type: .int, .notNull)
            .column("public_key", type: .text, .notNull)
            .primaryKey("account_id", "device_id", "key_id")
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "messaging_one_time_prekeys").ifExists().run()
        try await sql.drop(table: "messaging_devices").ifExists().run()
    }
}

struct CreateEnvelopeTable: SQLMigration {
    let name = "messaging.0002_envelopes"

    func prepare(sql: any SQLDatabase) async throws {
        // Ciphertext only, one row per recipient device, kept until that device acknowledges it
        // or it expires.
        try await sql.create(table: "messaging_envelopes")
            .column("account_id", type: .bigint, .notNull)
            .column("device_id", type: .int, .notNull)
            .column("id", type: .bigint, .notNull)
            .column("sender_id", type: .bigint, .notNull)
            .column("sender_device_id", type: .int, .notNull)
            .column("type", type: .text, .notNull)
            .column("content", type: .text, .notNull)
            .column("sent_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .primaryKey("account_id", "device_id", "id")
            .run()
        try await sql.create(index: "messaging_envelopes_expiry").on("messaging_envelopes").column("expires_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "messaging_envelopes").ifExists().run()
    }
}
