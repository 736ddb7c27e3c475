import EntativaCore
import EntativaModels
import SQLKit

/// `account_tokens`: the digests of single-use, expiring tokens mailed to accounts.
enum AccountTokenStore {
    /// Stores a new token of `purpose`, spending the account's older unused ones: a new link
    /// replaces the previous one.
    static func replace(
        purpose: String, for account: AccountID, id: Int64, digest: String, now: Int64, expiresAt: Int64, on db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: now)
            WHERE account_id = \(bind: account.rawValue) AND purpose = \(bind: purpose) AND used_at IS NULL
            """).run()
        try await db.raw("""
            INSERT INTO account_tokens (id, account_id, purpose, token_hash, created_at, expires_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: purpose), \(bind: digest), \(bind: now), \(bind: expiresAt))
            """).run()
    }

    /// Spends the live token with `digest` and answers its account; nil when it is unknown,
    /// used or expired.
    static func spend(purpose: String, digest: String, now: Int64, on db: any SQLDatabase) async throws -> AccountID? {
        try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: now)
            WHERE token_hash = \(bind: digest) AND purpose = \(bind: purpose) AND used_at IS NULL AND expires_at > \(bind: now)
            RETURNING account_id
            """).first().map { try $0.decode(column: "account_id", as: AccountID.self) }
    }
}
