import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// The flow email verification and password reset share: a single-use, expiring token, mailed
/// as a link to one of our pages, redeemed once. The mail states the lifetime the settings give.
struct MailedTokens: Sendable {
    enum Purpose: String {
        case verifyEmail = "verify_email"
        case resetPassword = "reset_password"
    }

    /// What a mail says around its link; `lifetime` reads like "1 hour".
    struct Letter {
        var subject: String
        var body: (_ link: String, _ token: String, _ lifetime: String) -> String
    }

    let env: IdentityEnvironment

    func lifetime(of purpose: Purpose) -> Duration {
        switch purpose {
        case .verifyEmail: env.settings.emailTokenLifetime
        case .resetPassword: env.settings.passwordResetTokenLifetime
        }
    }

    /// Issues a token (older ones of the purpose stop working) and queues the mail, in the
    /// caller's transaction.
    func send(_ purpose: Purpose, to account: AccountID, address: String, page: String, letter: Letter, on db: any SQLDatabase) async throws {
        let token = SecretToken.generate()
        let lifetime = lifetime(of: purpose)
        try await AccountTokenStore.replace(
            purpose: purpose.rawValue, for: account, id: env.ids.next(), digest: SecretToken.digest(token), now: env.now,
            expiresAt: env.now + lifetime.milliseconds, on: db)
        let link = env.publicURL("\(page)?token=\(token)")
        try await env.kernel.mailer.enqueue(
            OutgoingMail(to: address, subject: letter.subject, body: letter.body(link, token, Self.spoken(lifetime))), on: db)
    }

    /// Spends a token and answers its account; a wrong, used or expired token is a 422 on `token`.
    func redeem(_ token: String, purpose: Purpose, on db: any SQLDatabase) async throws -> AccountID {
        guard let account = try await AccountTokenStore.spend(purpose: purpose.rawValue, digest: SecretToken.digest(token), now: env.now, on: db)
        else {
            throw AppError.invalid(field: "token", code: "invalid", message: "is unknown, used or expired")
        }
        return account
    }

    /// A lifetime as a mail says it: "1 hour", "24 hours", "30 minutes", "90 seconds".
    static func spoken(_ lifetime: Duration) -> String {
        let seconds = lifetime.components.seconds
        func count(_ value: Int64, _ unit: String) -> String { "\(value) \(unit)\(value == 1 ? "" : "s")" }
        if seconds >= 3600, seconds % 3600 == 0 { return count(seconds / 3600, "hour") }
        if seconds >= 60, seconds % 60 == 0 { return count(seconds / 60, "minute") }
        return count(seconds, "second")
    }
}
