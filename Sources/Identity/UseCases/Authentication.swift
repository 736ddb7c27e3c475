import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Signing in, the second factor, refreshing and signing out.
public struct Authentication: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    static let invalidCredentials = AppError(
        status: 401, code: "invalid-credentials", title: "Invalid credentials", detail: "The login or password is wrong.")

    public func logIn(_ form: LoginRequest, client: ClientInfo) async throws -> LoginResult {
        var validator = Validator()
        validator.check(!form.login.isEmpty, "login", "required", "is required")
        validator.check(!form.password.isEmpty, "password", "required", "is required")
        validator.length(form.login, "login", max: 254)
        validator.length(form.password, "password", max: 1024, allowingLineBreaks: true)
        validator.length(form.deviceToken, "device_token", max: 1024)
        try validator.validate()

        let account = try await AccountStore.find(login: form.login, on: env.database.sql)
        let limits = SignInLimits(env: env)
        // A deleted account is charged like an unknown name: its purged ID must not come back
        // in a counter's key.
        let live = account.flatMap { $0.state == .deleted ? nil : $0 }
        let keys = limits.password(
            subject: live.map { String($0.id) } ?? form.login.lowercased(), client: client,
            device: await trustedDevice(form.deviceToken, of: live))
        // Counted before bcrypt, so a concurrent burst gets no more guesses than a patient caller.
        let reservation = try await env.kernel.attempts.reserve(keys)

        guard let account, account.state != .deleted else {
            try await env.hasher.verifyAgainstDummy(form.password)
            throw Self.invalidCredentials
        }
        guard try await env.hasher.verify(form.password, against: account.passwordHash) else {
            try await env.log.record(.loginFailed, account: account.id, client: client, detail: "password", on: env.database.sql)
            throw Self.invalidCredentials
        }
        // The right password was no guess.
        try await limits.succeeded(reservation, keys: keys)
        // Only a caller who knows the password learns that the account is suspended.
        guard account.state == .active else {
            throw AppError.forbidden("This account is suspended.")
        }
        if account.totpEnabled {
            let lifetime = env.settings.mfaTokenLifetime
            let challenge = env.ids.next()
            try await MFAChallengeStore.insert(
                id: challenge, account: account.id, now: env.now, expiresAt: env.now + lifetime.milliseconds, on: env.database.sql)
            let token = try await env.tokens.issueMFA(account: account.id, challenge: challenge, lifetime: lifetime)
            return .mfaRequired(MFAChallenge(mfaToken: token, expiresIn: Int(lifetime.components.seconds)))
        }
        let issuer = SessionIssuer(env: env)
        let deviceName = form.deviceName
        let tokens = try await env.database.transaction { db in
            try await issuer.start(for: account, deviceName: deviceName, client: client, event: .login, on: db)
        }
        return .signedIn(try await env.counted(tokens))
    }

    /// The second step of a sign-in with two-factor authentication on. The token allows a few
    /// codes and one sign-in; both are counted on the server, since the token itself is stateless.
    public func completeMFA(_ form: MFALoginRequest, client: ClientInfo) async throws -> AuthTokens {
        let (accountID, challenge) = try await env.tokens.verifyMFA(form.mfaToken)
        let limits = SignInLimits(env: env)
        let keys = limits.secondFactor(account: accountID, client: client)
        let reservation = try await env.kernel.attempts.reserve(keys)
        do {
            try await spendAttempt(on: challenge, of: accountID)
        } catch {
            // No code was checked, so the caller's budget is untouched.
            try await env.kernel.attempts.refund(reservation)
            throw error
        }
        let account = try await env.activeAccount(accountID, on: env.database.sql)
        let verified = try await SecondFactor(env: env).verify(form.code, for: account, client: client)
        guard verified else {
            try await env.log.record(.mfaFailed, account: accountID, client: client, on: env.database.sql)
            throw AppError.invalid(field: "code", code: "incorrect", message: "is not a valid code")
        }
        try await limits.succeeded(reservation, keys: keys)
        let issuer = SessionIssuer(env: env)
        let env = self.env
        let tokens = try await env.database.transaction { db in
            // One sign-in per token, even when two right codes race.
            guard try await MFAChallengeStore.complete(challenge, now: env.now, on: db) else { throw Self.challengeSpent }
            return try await issuer.start(for: account, deviceName: form.deviceName, client: client, event: .login, on: db)
        }
        return try await env.counted(tokens)
    }

    /// The ID of a device token from an earlier sign-in to this very account, if one came.
    private func trustedDevice(_ token: String?, of account: AccountRow?) async -> String? {
        guard let token, let account, let device = await env.tokens.verifyDevice(token), device.account == account.id else {
            return nil
        }
        return device.id
    }

    static let challengeSpent = AppError.unauthenticated("This token already completed a sign-in; sign in again.")

    private func spendAttempt(on challenge: Int64, of account: AccountID) async throws {
        let now = env.now
        switch try await MFAChallengeStore.spendAttempt(
            challenge, of: account, limit: env.settings.mfaAttemptsPerToken, now: now, on: env.database.sql)
        {
        case .granted: return
        case .spent: throw Self.challengeSpent
        case .unknown: throw AppError.unauthenticated("The token is not valid.")
        case .exhausted(let expiresAt):
            // The token is done for; Retry-After says when it is forgotten, the detail what to do.
            var error = AppError.rateLimited(retryAfter: Int((expiresAt - now + 999) / 1000))
            error.detail = "This token allowed \(env.settings.mfaAttemptsPerToken) codes; sign in again with your password."
            throw error
        }
    }

    /// Rotates a refresh token. A token spent before means it was copied: the whole session
    /// (every token descended from that sign-in) is revoked and the owner is told in the log.
    public func refresh(_ form: RefreshRequest, client: ClientInfo) async throws -> AuthTokens {
        let rejected = AppError.unauthenticated("The refresh token is not valid.")
        guard !form.refreshToken.isEmpty, form.refreshToken.utf8.count <= 200 else { throw rejected }
        let env = self.env
        let now = env.now
        let outcome: RefreshOutcome = try await env.database.transaction { db in
            guard let token = try await SessionStore.findRefreshToken(hash: SecretToken.digest(form.refreshToken), on: db),
                let session = try await SessionStore.find(SessionID(rawValue: token.sessionId), on: db),
                session.revokedAt == nil
            else { return .rejected }
            let accountID = session.accountId
            guard token.usedAt == nil, try await SessionStore.spendRefreshToken(token.id, now: now, on: db) else {
                _ = try await SessionStore.revoke(SessionID(rawValue: session.id), of: accountID, reason: "token_reuse", now: now, on: db)
                try await env.log.record(.tokenReuse, account: accountID, client: client, detail: session.deviceName, on: db)
                return .reused
            }
            guard token.expiresAt > now else { return .rejected }
            guard let account = try await AccountStore.find(accountID, on: db), account.state == .active else { return .rejected }
            try await SessionStore.touch(SessionID(rawValue: session.id), ip: client.ip, now: now, on: db)
            return .rotated(try await SessionIssuer(env: env).tokens(for: account, session: SessionID(rawValue: session.id), on: db))
        }
        switch outcome {
        case .rotated(let tokens): return try await env.counted(tokens)
        case .reused: throw AppError.unauthenticated("This refresh token was already used; the session has been revoked.")
        case .rejected: throw rejected
        }
    }

    enum RefreshOutcome: Sendable {
        case rotated(AuthTokens)
        case reused
        case rejected
    }

    static let purgeChallenges = JobDefinition<Tick>("identity.purge_mfa_challenges", maxAttempts: 3)

    struct Tick: Codable, Sendable {}

    /// Expired second-factor challenges are deleted every quarter of an hour.
    func registerJobs() throws {
        let env = self.env
        try env.kernel.jobs.every(Self.purgeChallenges, interval: .seconds(15 * 60), payload: Tick())
        env.kernel.jobs.register(Self.purgeChallenges) { _ in try await MFAChallengeStore.purgeExpired(now: env.now, on: env.database.sql) }
    }

    public func logOut(_ caller: Principal, client: ClientInfo) async throws {
        let env = self.env
        try await env.database.transaction { db in
            if try await SessionStore.revoke(caller.sessionID, of: caller.accountID, reason: "logout", now: env.now, on: db) {
                try await env.log.record(.logout, account: caller.accountID, client: client, on: db)
            }
        }
    }
}

/// Turns bearer tokens into principals for the core's authentication middleware. The session
/// and account are checked on every request (through `SessionStandings`, which every revocation,
/// suspension, deletion and role change empties at once), so a token stops working then rather
/// than when it expires.
public struct IdentityTokenVerifier: AccessTokenVerifier {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    public func principal(forAccessToken token: String) async throws -> Principal {
        let (accountID, sessionID) = try await env.tokens.verifyAccess(token)
        return try await principal(accountID, sessionID)
    }

    /// Long-lived connections (the realtime socket) outlive their token; they ask this instead.
    public func stillActive(_ principal: Principal) async -> Bool {
        (try? await self.principal(principal.accountID, principal.sessionID)) != nil
    }

    private func principal(_ accountID: AccountID, _ sessionID: SessionID) async throws -> Principal {
        try await env.sessionStandings.principal(accountID, sessionID) {
            guard let standing = try await SessionStore.standing(of: sessionID, account: accountID, on: env.database.sql), !standing.revoked else {
                throw AppError.unauthenticated("The session has ended.")
            }
            guard standing.state == AccountState.active.rawValue else {
                throw AppError.unauthenticated("This account is not active.")
            }
            guard let role = Role(rawValue: standing.role) else { throw AppError.unavailable("An account has an unknown role.") }
            return Principal(accountID: accountID, sessionID: sessionID, role: role)
        }
    }
}
