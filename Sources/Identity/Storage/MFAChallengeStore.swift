import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// One row per `mfa_token` handed out, keyed by the token's `jti` (never the token itself): it
/// counts the codes tried with the token and marks it spent once a sign-in completes with it.
enum MFAChallengeStore {
    enum Attempt: Sendable {
        case granted
        /// A sign-in already completed with this token.
        case spent
        /// Every code this token allows was tried; it stays refused until it expires.
        case exhausted(expiresAt: Int64)
        case unknown
    }

    static func insert(id: Int64, account: AccountID, now: Int64, expiresAt: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO mfa_challenges (id, account_id, attempts, created_at, expires_at)
            VALUES (\(bind: id), \(bind: account.rawValue), 0, \(bind: now), \(bind: expiresAt))
            """).run()
    }

    /// Counts one code against the challenge in one statement, so concurrent requests cannot
    /// share a last attempt; or says why no code may be tried.
    static func spendAttempt(_ id: Int64, of account: AccountID, limit: Int, now: Int64, on db: any SQLDatabase) async throws -> Attempt {
        let granted = try await db.raw("""
            UPDATE mfa_challenges SET attempts = attempts + 1
            WHERE id = \(bind: id) AND account_id = \(bind: account.rawValue) AND used_at IS NULL
                AND attempts < \(bind: limit) AND expires_at > \(bind: now)
            RETURNING id
            """).all()
        if !granted.isEmpty { return .granted }
        guard let row = try await db.raw("""
            SELECT used_at, expires_at FROM mfa_challenges WHERE id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """).first()
        else { return .unknown }
        if try row.decode(column: "used_at", as: Int64?.self) != nil { return .spent }
        let expiresAt = try row.decode(column: "expires_at", as: Int64.self)
        return expiresAt > now ? .exhausted(expiresAt: expiresAt) : .unknown
    }

    /// Marks the challenge spent; false when another request completed it first.
    static func complete(_ id: Int64, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE mfa_challenges SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id
            """).all().isEmpty
    }

    static func purgeExpired(now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM mfa_challenges WHERE expires_at <= \(bind: now)").run()
    }
}

struct CreateMFAChallenges: SQLMigration {
    let name = "identity.0002_mfa_challenges"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "mfa_challenges")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull, .references("accounts", "id"))
            .column("attempts", type: .int, .notNull)
            .column("used_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "mfa_challenges_expiry").on("mfa_challenges").column("expires_at").run()
        try await sql.create(index: "mfa_challenges_account").on("mfa_challenges").column("account_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "mfa_challenges").ifExists().run()
    }
}
