import EntativaCore
import EntativaModels
import SQLKit

/// Devices: their public keys, the hash of their secret and whether they are approved.
enum DeviceStore {
    struct Row: Decodable, Sendable {
        var accountId: Int64
        var deviceId: Int
        var name: String
        var registrationId: Int
        var identityKey: String
        var signedPrekeyId: Int
        var signedPrekey: String
        var signedPrekeySignature: String
        var secretHash: String
        var approvedAt: Int64?
        var createdAt: Int64

        var isActive: Bool { approvedAt != nil }
    }

    static func devices(of account: AccountID, on db: any SQLDatabase) async throws -> [Row] {
        try await db.raw("""
            SELECT * FROM messaging_devices WHERE account_id = \(bind: account.rawValue) ORDER BY device_id
            """).all().map { try $0.decode(Row.self) }
    }

    /// The devices of `accounts` — every one, or only the approved — in one statement per
    /// thousand accounts.
    static func devices(of accounts: [AccountID], approvedOnly: Bool, on db: any SQLDatabase) async throws -> [Row] {
        var rows: [Row] = []
        for start in stride(from: 0, to: accounts.count, by: 1_000) {
            let chunk = accounts[start..<min(start + 1_000, accounts.count)].map(\.rawValue)
            let approved = SQLRaw(approvedOnly ? " AND approved_at IS NOT NULL" : "")
            rows += try await db.raw("""
                SELECT * FROM messaging_devices WHERE account_id IN (\(binds: chunk))\(approved)
                """).all().map { try $0.decode(Row.self) }
        }
        return rows
    }

    static func device(_ id: Int, of account: AccountID, on db: any SQLDatabase) async throws -> Row? {
        try await db.raw("""
            SELECT * FROM messaging_devices WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: id)
            """).first()?.decode(Row.self)
    }

    static func insert(_ row: Row, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO messaging_devices (account_id, device_id, name, registration_id, identity_key, signed_prekey_id, signed_prekey,
                signed_prekey_signature, secret_hash, approved_at, created_at)
            VALUES (\(bind: row.accountId), \(bind: row.deviceId), \(bind: row.name), \(bind: row.registrationId), \(bind: row.identityKey),
                \(bind: row.signedPrekeyId), \(bind: row.signedPrekey), \(bind: row.signedPrekeySignature), \(bind: row.secretHash),
                \(bind: row.approvedAt), \(bind: row.createdAt))
            """).run()
    }

    /// Approves a pending device; false when it is not pending (gone, or approved meanwhile).
    static func approve(_ id: Int, of account: AccountID, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE messaging_devices SET approved_at = \(bind: now)
            WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: id) AND approved_at IS NULL
            RETURNING device_id
            """).all().isEmpty
    }

    static func replaceSignedPreKey(
        _ id: Int, of account: AccountID, keyId: Int, publicKey: String, signature: String, on db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            UPDATE messaging_devices SET signed_prekey_id = \(bind: keyId), signed_prekey = \(bind: publicKey),
                signed_prekey_signature = \(bind: signature)
            WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: id)
            """).run()
    }

    /// Removes a device, its one-time prekeys and the envelopes waiting for it; false when there
    /// was none.
    static func delete(_ id: Int, of account: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await PreKeyStore.deleteAll(of: account, device: id, on: db)
        try await EnvelopeStore.deleteAll(for: account, device: id, on: db)
        return try await !db.raw("""
            DELETE FROM messaging_devices WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: id) RETURNING device_id
            """).all().isEmpty
    }

    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await EnvelopeStore.deleteAll(for: account, on: db)
        try await db.raw("DELETE FROM messaging_one_time_prekeys WHERE account_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM messaging_devices WHERE account_id = \(bind: account.rawValue)").run()
    }
}
