import EntativaCore
import EntativaModels
import Foundation
import SQLKit

public struct EmailVerification: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    func sendVerification(to account: AccountRow, on db: any SQLDatabase) async throws {
        guard let email = account.email else { return }
        let letter = MailedTokens.Letter(subject: "Confirm your email for \(env.kernel.config.instanceName)") { link, token, lifetime in
            "Hello @\(account.username),\n\nConfirm this address: \(link)\nor send the token \(token) to POST /api/v1/auth/email/verify.\nThe link works for \(lifetime).\n"
        }
        try await MailedTokens(env: env).send(.verifyEmail, to: account.id, address: email, page: "/verify-email", letter: letter, on: db)
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
            let accountID = try await MailedTokens(env: env).redeem(form.token, purpose: .verifyEmail, on: db)
            try await AccountStore.markEmailVerified(accountID, now: env.now, on: db)
            try await env.log.record(.emailVerified, account: accountID, client: client, on: db)
        }
    }
}
