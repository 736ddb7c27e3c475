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
    }

    static func insert(_ rows: [Row], on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let values = rows.map {
            SQLGroupExpression([
                SQLBind($0.accountId), SQLBind($0.deviceId), SQLBind($0.id), SQLBind($0.senderId), SQLBind($0.senderDeviceId), SQLBind($0.type),
                SQLBind($0.content), SQLBind($0.sentAt), SQLBind($0.expiresAt),
            ])
        }
        try await db.raw("""
            INSERT INTO messaging_envelopes (account_id, device_id, id, sender_id, sender_device_id, type, content, sent_at, expires_at)
            VALUES \(SQLList(values))
            """).run()
    }

    /// The device's envelopes after `after`, oldest first, not yet expired.
    static func waiting(for account: AccountID, device: Int, after: Int64?, now: Int64, limit: Int, on db: any SQLDatabase) async throws -> [Row] {
        try await db.raw("""
            SELECT * FROM messaging_envelopes
            WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device) AND id > \(bind: after ?? 0) AND expires_at > \(bind: now)
            ORDER BY id LIMIT \(bind: limit)
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

    static func deleteAll(for account: AccountID, device: Int? = nil, on db: any SQLDatabase) async throws {
        if let device {
            try await db.raw("DELETE FROM messaging_envelopes WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device)").run()
        } else {
            try await db.raw("DELETE FROM messaging_envelopes WHERE account_id = \(bind: account.rawValue)").run()
        }
    }
}
