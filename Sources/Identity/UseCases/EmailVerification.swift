import EntativaCore
import EntativaModels
import Foundation
import SQLKit

enum OneTimePurpose: String {
    case verifyEmail = "verify_email"
    case resetPassword = "reset_password"
}

/// Single-use, expiring tokens mailed to the account's address.
enum OneTimeTokens {
    static func issue(
        _ purpose: OneTimePurpose, for account: AccountID, lifetime: Duration, env: IdentityEnvironment, on db: any SQLDatabase
    ) async throws -> String {
        let token = SecretToken.generate()
        // A new link replaces older ones of the same purpose.
        try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: env.now)
            WHERE account_id = \(bind: account.rawValue) AND purpose = \(bind: purpose.rawValue) AND used_at IS NULL
            """).run()
        try await db.raw("""
            INSERT INTO account_tokens (id, account_id, purpose, token_hash, created_at, expires_at)
            VALUES (\(bind: env.ids.next()), \(bind: account.rawValue), \(bind: purpose.rawValue),
                \(bind: SecretToken.digest(token)), \(bind: env.now), \(bind: env.now + lifetime.milliseconds))
            """).run()
        return token
    }

    /// Spends a token and answers its account; a wrong, used or expired token is a 422 on `token`.
    static func redeem(_ token: String, purpose: OneTimePurpose, env: IdentityEnvironment, on db: any SQLDatabase) async throws -> AccountID {
        let rows = try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: env.now)
            WHERE token_hash = \(bind: SecretToken.digest(token)) AND purpose = \(bind: purpose.rawValue)
                AND used_at IS NULL AND expires_at > \(bind: env.now)
            RETURNING account_id
            """).all()
        guard let row = rows.first else {
            throw AppError.invalid(field: "token", code: "invalid", message: "is unknown, used or expired")
        }
        return AccountID(rawValue: try row.decode(column: "account_id", as: Int64.self))
    }
}

public struct EmailVerification: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    func sendVerification(to account: AccountRow, on db: any SQLDatabase) async throws {
        guard let email = account.email else { return }
        let token = try await OneTimeTokens.issue(
            .verifyEmail, for: account.accountID, lifetime: env.limits.emailTokenLifetime, env: env, on: db)
        let link = env.publicURL("/verify-email?token=\(token)")
        try await env.kernel.mailer.enqueue(
            OutgoingMail(
                to: email, subject: "Confirm your email for \(env.kernel.config.instanceName)",
                body: "Hello @\(account.username),\n\nConfirm this address: \(link)\nor send the token \(token) to POST /api/v1/auth/email/verify.\n"),
            on: db)
    }

    public func resend(_ caller: Principal) async throws {
        let account = try await env.activeAccount(caller.accountID, on: env.database.sql)
        guard account.emailVerifiedAt == nil else {
            throw AppError.conflict("This email address is already verified.", code: "already-verified")
        }
        try await env.kernel.attempts.consume(env.mailRule, keys: ["account:\(account.id)"])
        let env = self.env
        try await env.database.transaction { db in try await EmailVerification(env: env).sendVerification(to: account, on: db) }
        env.kernel.jobs.notify()
    }

    public func verify(_ form: EmailVerificationRequest, client: ClientInfo) async throws {
        let env = self.env
        try await env.database.transaction { db in
            let accountID = try await OneTimeTokens.redeem(form.token, purpose: .verifyEmail, env: env, on: db)
            try await AccountStore.markEmailVerified(accountID, now: env.now, on: db)
            try await env.log.record(.emailVerified, account: accountID, client: client, on: db)
        }
    }
}
