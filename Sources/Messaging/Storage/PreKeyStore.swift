import EntativaCore
import EntativaModels
import SQLKit

/// One-time prekeys: each is handed out once, then gone.
enum PreKeyStore {
    struct Row: Decodable, Sendable {
        var keyId: Int
        var publicKey: String
    }

    /// Adds keys; an ID the device already uploaded keeps its first key.
    static func add(_ keys: [(id: Int, publicKey: String)], of account: AccountID, device: Int, on db: any SQLDatabase) async throws {
        guard !keys.isEmpty else { return }
        let rows = keys.map { SQLGroupExpression([SQLBind(account.rawValue), SQLBind(device), SQLBind($0.id), SQLBind($0.publicKey)]) }
        try await db.raw("""
            INSERT INTO messaging_one_time_prekeys (account_id, device_id, key_id, public_key) VALUES \(SQLList(rows))
            ON CONFLICT (account_id, device_id, key_id) DO NOTHING
            """).run()
    }

    static func count(of account: AccountID, device: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM messaging_one_time_prekeys WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func counts(of account: AccountID, on db: any SQLDatabase) async throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in try await db.raw("""
            SELECT device_id, COUNT(*) AS n FROM messaging_one_time_prekeys WHERE account_id = \(bind: account.rawValue) GROUP BY device_id
            """).all() {
            counts[try row.decode(column: "device_id", as: Int.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Takes the device's lowest-numbered key and deletes it in one statement. On PostgreSQL a
    /// concurrent taker skips the row another holds (`SKIP LOCKED`) and takes the next, so no
    /// key goes out twice and none is withheld while others remain; SQLite has one writer.
    static func take(of account: AccountID, device: Int, skipLocked: String, on db: any SQLDatabase) async throws -> Row? {
        try await db.raw("""
            DELETE FROM messaging_one_time_prekeys
            WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device) AND key_id = (
                SELECT key_id FROM messaging_one_time_prekeys WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device)
                ORDER BY key_id LIMIT 1\(unsafeRaw: skipLocked))
            RETURNING key_id, public_key
            """).first()?.decode(Row.self)
    }

    static func deleteAll(of account: AccountID, device: Int, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM messaging_one_time_prekeys WHERE account_id = \(bind: account.rawValue) AND device_id = \(bind: device)
            """).run()
    }
}
