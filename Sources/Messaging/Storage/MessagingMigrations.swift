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

struct CreateConversationTables: SQLMigration {
    let name = "messaging.0003_conversations"

    func prepare(sql: any SQLDatabase) async throws {
        // Metadata only: who is in a conversation and each member's settings. What is said
        // travels as envelopes.
        try await sql.create(table: "messaging_conversations")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            // "<lower account id>:<higher account id>" for direct conversations, so a pair has one.
            .column("direct_key", type: .text)
            .column("created_by", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            // The last message, or the creation while there is none: what lists sort by.
            .column("activity_at", type: .bigint, .notNull)
            .column("last_message_at", type: .bigint)
            .column("member_count", type: .int, .notNull)
            .column("disappearing_seconds", type: .int)
            .column("metadata", type: .text)
            .run()
        try await sql.create(index: "messaging_conversations_direct").on("messaging_conversations").column("direct_key").unique().run()
        try await sql.create(table: "messaging_members")
            .column("conversation_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("role", type: .text, .notNull)
            // active, request, or deleted (a direct request its recipient deleted: hidden until
            // the next message makes it a request again).
            .column("state", type: .text, .notNull)
            // Who added the member to a group (blocking a group invitation blocks them).
            .column("added_by", type: .bigint)
            // When the member was told about the request; null until then.
            .column("request_notified_at", type: .bigint)
            .column("muted_until", type: .bigint)
            .column("archived_at", type: .bigint)
            .column("joined_at", type: .bigint, .notNull)
            // The day (since 1970) this member last sent: a first message of the day is an
            // interaction other domains may count.
            .column("last_sent_day", type: .int, .notNull, .default(SQLLiteral.numeric("0")))
            .primaryKey("conversation_id", "account_id")
            .run()
        try await sql.create(index: "messaging_members_account").on("messaging_members").column("account_id").column("state").run()
        try await sql.alter(table: "messaging_envelopes").column("conversation_id", type: .bigint).run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.alter(table: "messaging_envelopes").dropColumn("conversation_id").run()
        try await sql.drop(table: "messaging_members").ifExists().run()
        try await sql.drop(table: "messaging_conversations").ifExists().run()
    }
}

struct CreatePresenceTables: SQLMigration {
    let name = "messaging.0004_presence"

    func prepare(sql: any SQLDatabase) async throws {
        // A row once the account chose a visibility or was last seen; none means the default.
        try await sql.create(table: "messaging_presence")
            .column("account_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("visibility", type: .text, .notNull)
            .column("last_seen_at", type: .bigint)
            .run()
        // One row per account and instance holding one of its sockets, refreshed while it does:
        // an instance that dies leaves rows that go stale instead of "online" for ever.
        try await sql.create(table: "messaging_presence_sockets")
            .column("account_id", type: .bigint, .notNull)
            .column("instance", type: .int, .notNull)
            .column("refreshed_at", type: .bigint, .notNull)
            .primaryKey("account_id", "instance")
            .run()
        try await sql.create(index: "messaging_presence_sockets_instance").on("messaging_presence_sockets").column("instance").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "messaging_presence_sockets").ifExists().run()
        try await sql.drop(table: "messaging_presence").ifExists().run()
    }
}

/// A direct message may reply to a story: its envelopes name the story, which the recipient's
/// app shows beside the (still encrypted) reply.
struct AddEnvelopeStory: SQLMigration {
    let name = "messaging.0006_envelope_story"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.alter(table: "messaging_envelopes").column("story_id", type: .bigint).run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.raw("ALTER TABLE messaging_envelopes DROP COLUMN story_id").run()
    }
}

struct CreatePayloadTable: SQLMigration {
    let name = "messaging.0005_payloads"

    func prepare(sql: any SQLDatabase) async throws {
        // A group message encrypted once with the sender's Sender Key: stored once, however many
        // devices it goes to. Each device's envelope points here instead of carrying a copy.
        try await sql.create(table: "messaging_payloads")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("conversation_id", type: .bigint, .notNull)
            .column("sender_id", type: .bigint, .notNull)
            .column("content", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "messaging_payloads_expiry").on("messaging_payloads").column("expires_at").run()
        try await sql.alter(table: "messaging_envelopes").column("payload_id", type: .bigint).run()
        try await sql.create(index: "messaging_envelopes_payload").on("messaging_envelopes").column("payload_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "messaging_envelopes_payload").run()
        try await sql.alter(table: "messaging_envelopes").dropColumn("payload_id").run()
        try await sql.drop(table: "messaging_payloads").ifExists().run()
    }
}
