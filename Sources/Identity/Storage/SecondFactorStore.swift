import EntativaCore
import EntativaModels
import SQLKit

/// An account's TOTP columns and its `recovery_codes`.
enum SecondFactorStore {
    static func setPendingSecret(_ secret: String, for account: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET totp_pending_secret = \(bind: secret), updated_at = \(bind: now)
            WHERE id = \(bind: account.rawValue)
            """).run()
    }

    /// Makes the pending secret the live one, with `step` as its last used code.
    static func enablePendingSecret(for account: AccountID, step: Int64, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                totp_enabled_at = \(bind: now), totp_last_step = \(bind: step), updated_at = \(bind: now)
            WHERE id = \(bind: account.rawValue)
            """).run()
        try await AccountStore.announceChange(of: account, on: db)
    }

    /// Turns TOTP off and drops the recovery codes.
    static func disable(for account: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,
                totp_last_step = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: account.rawValue)
            """).run()
        try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: account.rawValue)").run()
        try await AccountStore.announceChange(of: account, on: db)
    }

    /// Moves the last used step forward to `step`; false when that step (or a later one) was
    /// already used, so one code signs in once, whichever request gets there first.
    static func spendStep(_ step: Int64, for account: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE accounts SET totp_last_step = \(bind: step)
            WHERE id = \(bind: account.rawValue) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
            RETURNING id
            """).all().isEmpty
    }

    /// Spends the unused recovery code with `digest`; false when there is none.
    static func spendRecoveryCode(digest: String, of account: AccountID, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE recovery_codes SET used_at = \(bind: now)
            WHERE account_id = \(bind: account.rawValue) AND code_hash = \(bind: digest) AND used_at IS NULL
            RETURNING id
            """).all().isEmpty
    }

    /// Replaces every recovery code of the account with these (id, digest) pairs.
    static func replaceRecoveryCodes(of account: AccountID, with codes: [(id: Int64, digest: String)], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: account.rawValue)").run()
        for code in codes {
            try await db.raw("""
                INSERT INTO recovery_codes (id, account_id, code_hash) VALUES (\(bind: code.id), \(bind: account.rawValue), \(bind: code.digest))
                """).run()
        }
    }
}
