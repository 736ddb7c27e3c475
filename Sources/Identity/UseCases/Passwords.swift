import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Changing a known password and resetting a forgotten one.
public struct Passwords: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    /// Changes the password and signs out every other session.
    public func change(_ caller: Principal, form: ChangePasswordRequest, client: ClientInfo) async throws {
        let account = try await env.activeAccount(caller.accountID, on: env.database.sql)
        var validator = Validator()
        validator.check(!form.currentPassword.isEmpty, "current_password", "required", "is required")
        PasswordPolicy.check(form.newPassword, username: account.username, field: "new_password", into: &validator)
        try validator.validate()
        try await env.requirePassword(
            form.currentPassword, of: account, field: "current_password", caller: caller, client: client, action: "password_change")
        let hash = try await env.hasher.hash(form.newPassword)
        let env = self.env
        try await env.database.transaction { db in
            try await AccountStore.setPasswordHash(hash, for: caller.accountID, now: env.now, on: db)
            try await SessionStore.revokeAll(of: caller.accountID, except: caller.sessionID, reason: "password_changed", now: env.now, on: db)
            try await env.log.record(.passwordChanged, account: caller.accountID, client: client, on: db)
        }
    }

    /// Mails a reset link if the address belongs to an active account. The answer is the same
    /// either way, so the endpoint tells no one which addresses are registered.
    public func requestReset(_ form: PasswordResetRequest, client: ClientInfo) async throws {
        var validator = Validator()
        Registration.validateEmail(form.email, into: &validator)
        try validator.validate()
        try await env.kernel.attempts.consume(env.mailRule, keys: ["ip:\(client.ip)", "email:\(form.email.lowercased())"])
        guard let account = try await AccountStore.find(login: form.email, on: env.database.sql),
            account.email?.lowercased() == form.email.lowercased(), account.state == .active, let email = account.email
        else { return }
        let env = self.env
        try await env.database.transaction { db in
            let letter = MailedTokens.Letter(subject: "Reset your \(env.kernel.config.instanceName) password") { link, token, lifetime in
                "Someone asked to reset the password of @\(account.username).\nIf it was you: \(link)\nThe token is \(token). It works once, for \(lifetime).\n"
            }
            try await MailedTokens(env: env).send(
                .resetPassword, to: account.id, address: email, page: "/reset-password", letter: letter, on: db)
            try await env.log.record(.passwordResetRequested, account: account.id, client: client, on: db)
        }
        env.kernel.jobs.notify()
    }

    /// Sets a new password from a mailed token and signs out every session.
    public func reset(_ form: PasswordResetConfirmation, client: ClientInfo) async throws {
        guard !form.token.isEmpty, form.token.count <= 200 else {
            throw AppError.invalid(field: "token", code: "invalid", message: "is unknown, used or expired")
        }
        let env = self.env
        // The policy needs the username, known only once the token is redeemed: check the token
        // and policy in one transaction so a rejected password leaves the token unspent.
        let hash = try await env.hasher.hash(form.password)
        try await env.database.transaction { db in
            let accountID = try await MailedTokens(env: env).redeem(form.token, purpose: .resetPassword, on: db)
            guard let account = try await AccountStore.find(accountID, on: db), account.state == .active else {
                throw AppError.invalid(field: "token", code: "invalid", message: "is unknown, used or expired")
            }
            var validator = Validator()
            PasswordPolicy.check(form.password, username: account.username, field: "password", into: &validator)
            try validator.validate()
            try await AccountStore.setPasswordHash(hash, for: accountID, now: env.now, on: db)
            try await SessionStore.revokeAll(of: accountID, except: nil, reason: "password_reset", now: env.now, on: db)
            try await env.log.record(.passwordReset, account: accountID, client: client, on: db)
        }
    }
}
