import EntativaCore
import EntativaModels
import SQLKit

/// Envelopes waiting for their devices.
enum EnvelopeStore {
    struct Row: Decodable, Sendable {
        var accountId: Int64
        var deviceId: Int
        var id: Int64
        var senderId: Int64
        var senderDeviceId: Int
        var type: String
        var content: String
        var sentAt: Int64
        var expiresAt: Int64
        var conversationId: Int64?
        /// The shared payload a group message's envelope stands for; its `content` is empty.
        var payloadId: Int64?
        /// The story a direct message replies to.
        var storyId: Int64?
    }

    /// A group message's ciphertext, stored once for all its envelopes.
    struct Payload: Sendable {
        var id: Int64
        var conversationId: Int64
        var senderId: Int64
        var content: String
        var expiresAt: Int64
    }

    static func insert(_ rows: [Row], on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let values = rows.map {
            SQLGroupExpression([
                SQLBind($0.accountId), SQLBind($0.deviceId), SQLBind($0.id), SQLBind($0.senderId), SQLBind($0.senderDeviceId), SQLBind($0.type),
                SQLBind($0.content), SQLBind($0.sentAt), SQLBind($0.expiresAt), SQLBind($0.conversationId), SQLBind($0.payloadId),
                SQLBind($0.storyId),
            ])
        }
        // A group message may go to thousands of devices: a statement per chunk keeps each
        // under SQLite's limit of bound values.
        for start in stride(from: 0, to: values.count, by: 1_000) {
            let chunk = values[start..<min(start + 1_000, values.count)]
            try await db.raw("""
                INSERT INTO messaging_envelopes
                    (account_id, device_id, id, sender_id, sender_device_id, type, content, sent_at, expires_at, conversation_id, payload_id, story_id)
                VALUES \(SQLList(Array(chunk)))
                """).run()
        }
    }

    static func insert(_ payload: Payload, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO messaging_payloads (id, conversation_id, sender_id, content, expires_at)
            VALUES (\(bind: payload.id), \(bind: payload.conversationId), \(bind: payload.senderId), \(bind: payload.content), \(bind: payload.expiresAt))
            """).run()
    }

    /// The device's envelopes after `after`, oldest first, not yet expired.
    static func waiting(for account: AccountID, device: Int, after: Int64?, now: Int64, limit: Int, on db: any SQLDatabase) async throws -> [Row] {
        try await db.raw("""
            SELECT e.account_id, e.device_id, e.id, e.sender_id, e.sender_device_id, e.type, e.sent_at, e.expires_at, e.conversation_id,
                e.payload_id, e.story_id, COALESCE(p.content, e.content) AS content
            FROM messaging_envelopes e LEFT JOIN messaging_payloads p ON p.id = e.payload_id
            WHERE e.account_id = \(bind: account.rawValue) AND e.device_id = \(bind: device) AND e.id > \(bind: after ?? 0)
                AND e.expires_at > \(bind: now)
            ORDER BY e.id LIMIT \(bind: limit)
            """).all().map { try $0.decode(Row.self) }
    }

    /// Deletes the device's envelopes among `ids`; answers the IDs that were there.
    static func acknowledge(_ ids: [Int64], for account: AccountID, device: Int, on db: any SQLDatabase) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("""
            DELETE FROM messaging_envelopes
            WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device) AND id IN (\(binds: ids))
            RETURNING id
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Deletes up to `batch` expired envelopes; answers how many.
    static func deleteExpired(now: Int64, batch: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            DELETE FROM messaging_envelopes WHERE (account_id, device_id, id) IN (
                SELECT account_id, device_id, id FROM messaging_envelopes WHERE expires_at <= \(bind: now) LIMIT \(bind: batch))
            RETURNING id
            """).all().count
    }

    /// Deletes up to `batch` payloads that no envelope points to any more (every device
    /// acknowledged or lost it) or that expired; answers how many.
    static func deleteUnreferencedPayloads(now: Int64, batch: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            DELETE FROM messaging_payloads WHERE id IN (
                SELECT id FROM messaging_payloads p
                WHERE p.expires_at <= \(bind: now) OR NOT EXISTS (SELECT 1 FROM messaging_envelopes e WHERE e.payload_id = p.id)
                LIMIT \(bind: batch))
            RETURNING id
            """).all().count
    }

    /// Drops what waits for the account's devices in one conversation (a request it deleted).
    static func deleteAll(for account: AccountID, conversation: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM messaging_envelopes WHERE account_id = \(bind: account.rawValue) AND conversation_id = \(bind: conversation)
            """).run()
    }

    static func deleteAll(for account: AccountID, device: Int? = nil, on db: any SQLDatabase) async throws {
        if let device {
            try await db.raw("DELETE FROM messaging_envelopes WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device)").run()
        } else {
            try await db.raw("DELETE FROM messaging_envelopes WHERE account_id = \(bind: account.rawValue)").run()
        }
    }
}
