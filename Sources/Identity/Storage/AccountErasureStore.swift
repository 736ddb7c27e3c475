import EntativaCore
import EntativaModels
import SQLKit

/// What erasing a deleted account removes from identity's tables: credentials, sessions, tokens,
/// the security log and the profile's personal fields. The row itself stays, as a tombstone
/// that keeps the username taken.
enum AccountErasureStore {
    static func erasePersonalData(of account: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        try await db.raw("DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE account_id = \(bind: id))").run()
        try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
        try await SessionStore.announceChange(of: account, on: db)
        try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM mfa_challenges WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM account_tokens WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM security_events WHERE account_id = \(bind: id)").run()
        try await db.raw("""
            UPDATE accounts SET email = NULL, email_key = NULL, email_verified_at = NULL, password_hash = '!',
                display_name = '', bio = '', links = '[]', totp_secret = NULL, totp_pending_secret = NULL,
                totp_enabled_at = NULL, totp_last_step = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """).run()
        try await AccountStore.announceChange(of: account, on: db)
    }
}
