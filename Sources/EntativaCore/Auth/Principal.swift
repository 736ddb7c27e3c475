import EntativaModels
import Hummingbird

/// Who is calling: the account and the session its access token belongs to.
public struct Principal: Sendable, Equatable {
    public var accountID: AccountID
    public var sessionID: SessionID
    public var role: Role

    public init(accountID: AccountID, sessionID: SessionID, role: Role) {
        self.accountID = accountID
        self.sessionID = sessionID
        self.role = role
    }
}

/// Turns a bearer token into a principal, or fails with 401. Identity provides it; the core only
/// knows the shape, so lower layers never import the identity domain.
public protocol AccessTokenVerifier: Sendable {
    func principal(forAccessToken token: String) async throws -> Principal
    /// Whether the principal's session is still open and its account active.
    func stillActive(_ principal: Principal) async -> Bool
}

/// The address and agent a request came from, as recorded in sessions and the security log.
public struct ClientInfo: Sendable, Equatable {
    public var ip: String
    public var userAgent: String

    public init(ip: String, userAgent: String) {
        self.ip = ip
        self.userAgent = userAgent
    }
}
