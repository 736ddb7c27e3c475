import Crypto
import Foundation
import SQLKit

/// Named random secrets shared by every instance (e.g. the key that signs private media URLs).
/// Made once, on first use, and kept in the database like the token-signing key.
public enum ServerSecrets {
    public static func value(named name: String, database: AppDatabase, clock: any WallClock) async throws -> SymmetricKey {
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        try await database.sql.raw("""
            INSERT INTO server_secrets (name, value, created_at) VALUES (\(bind: name), \(bind: fresh), \(bind: clock.nowMillis()))
            ON CONFLICT (name) DO NOTHING
            """).run()
        guard let row = try await database.sql.raw("SELECT value FROM server_secrets WHERE name = \(bind: name)").first(),
            let data = Data(base64Encoded: try row.decode(column: "value", as: String.self))
        else { throw AppError.unavailable("The secret \(name) could not be loaded.") }
        return SymmetricKey(data: data)
    }
}

struct CreateServerSecrets: SQLMigration {
    let name = "core.0002_server_secrets"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "server_secrets")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("value", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "server_secrets").ifExists().run()
    }
}
