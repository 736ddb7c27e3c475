import EntativaCore
import SQLKit

/// `signing_keys`: the access-token signing keys, shared by every instance on one database.
enum SigningKeyStore {
    /// The stored key `kid`, after storing `candidate` under it if none was there: the first
    /// instance to start wins and every other one loads its key.
    static func keep(kid: String, algorithm: String, candidate: String, now: Int64, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            INSERT INTO signing_keys (kid, algorithm, private_key, created_at)
            VALUES (\(bind: kid), \(bind: algorithm), \(bind: candidate), \(bind: now))
            ON CONFLICT (kid) DO NOTHING
            """).run()
        return try await db.raw("SELECT private_key FROM signing_keys WHERE kid = \(bind: kid)").first()?
            .decode(column: "private_key", as: String.self)
    }
}
