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

extension Principal {
    /// `account` judged as an ordinary account, for decisions made on its behalf outside a request
    /// (who a notification may reach, what a recipient may see): staff roles see no more there.
    public static func ordinaryAccount(_ account: AccountID) -> Principal {
        Principal(accountID: account, sessionID: SessionID(rawValue: 0), role: .user)
    }

    /// The token of an `Authorization: Bearer <token>` header; nil for any other scheme.
    public static func bearerToken(in header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
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
