import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Starts sessions and rotates their refresh tokens.
/// A sign-in from a device the account never used before, for the `new_login` notice.
public struct NewDeviceLogin: DomainEvent {
    public static let topic = "identity.new_device_login"
    public var accountId: AccountID
    public var sessionId: SessionID
    public var deviceName: String
    public var ip: String
}

struct SessionIssuer: Sendable {
    let env: IdentityEnvironment

    /// Opens a session for `account` and answers its first token pair; writes `login` and, for a
    /// device this account never used, `new_device` to the security log.
    func start(
        for account: AccountRow, deviceName: String?, client: ClientInfo, event: SecurityEventKind, on db: any SQLDatabase
    ) async throws -> AuthTokens {
        let now = env.now
        let device = Self.deviceName(deviceName, userAgent: client.userAgent)
        let known = try await SessionStore.knownDevice(of: account.id, deviceName: device, userAgent: client.userAgent, on: db)
        let session = SessionRow(
            id: env.ids.next(), accountId: account.id, deviceName: device, ip: client.ip, userAgent: client.userAgent,
            createdAt: now, lastUsedAt: now, revokedAt: nil)
        try await SessionStore.insert(session, on: db)
        try await env.log.record(event, account: account.id, client: client, detail: device, on: db)
        if !known, event == .login {
            try await env.log.record(.newDevice, account: account.id, client: client, detail: device, on: db)
            try await env.kernel.events.publish(
                NewDeviceLogin(accountId: account.id, sessionId: SessionID(rawValue: session.id), deviceName: device, ip: client.ip), on: db)
        }
        var tokens = try await tokens(for: account, session: SessionID(rawValue: session.id), on: db)
        // This device has proved the password (and second factor): from now on it has a sign-in
        // budget of its own that no one else's failures spend.
        tokens.deviceToken = try await env.tokens.issueDevice(
            account: account.id, id: env.ids.next(), lifetime: env.settings.deviceTokenLifetime)
        return tokens
    }

    /// A fresh access token and a fresh refresh token for an existing session.
    func tokens(for account: AccountRow, session: SessionID, on db: any SQLDatabase) async throws -> AuthTokens {
        let refresh = SecretToken.generate()
        let now = env.now
        try await SessionStore.insertRefreshToken(
            id: env.ids.next(), session: session, hash: SecretToken.digest(refresh), now: now,
            expiresAt: now + env.settings.refreshTokenLifetime.milliseconds, on: db)
        let lifetime = env.settings.accessTokenLifetime
        let access = try await env.tokens.issueAccess(account: account.id, session: session, lifetime: lifetime)
        return AuthTokens(
            account: account.dto(includePrivate: true), accessToken: access, refreshToken: refresh,
            expiresIn: Int(lifetime.components.seconds))
    }

    static func deviceName(_ given: String?, userAgent: String) -> String {
        let trimmed = given?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !trimmed.isEmpty { return String(trimmed.prefix(100)) }
        return userAgent.isEmpty ? "Unknown device" : String(userAgent.prefix(100))
    }
}
