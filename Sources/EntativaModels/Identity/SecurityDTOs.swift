import Foundation

/// One signed-in device: every refresh token rotated from one login belongs to it.
public struct Session: Codable, Sendable, Equatable {
    public var id: SessionID
    public var deviceName: String
    public var ip: String
    public var createdAt: Date
    public var lastUsedAt: Date
    /// True for the session whose access token made the request.
    public var current: Bool

    public init(id: SessionID, deviceName: String, ip: String, createdAt: Date, lastUsedAt: Date, current: Bool) {
        self.id = id
        self.deviceName = deviceName
        self.ip = ip
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.current = current
    }
}

public struct TOTPEnrollment: Codable, Sendable {
    /// Base32, as authenticator apps expect it.
    public var secret: String
    public var otpauthUri: String

    public init(secret: String, otpauthUri: String) {
        self.secret = secret
        self.otpauthUri = otpauthUri
    }
}

public struct TOTPCodeRequest: Codable, Sendable {
    public var code: String
    public init(code: String) { self.code = code }
}

public struct RecoveryCodes: Codable, Sendable {
    public var recoveryCodes: [String]
    public init(recoveryCodes: [String]) { self.recoveryCodes = recoveryCodes }
}

public struct TOTPDisableRequest: Codable, Sendable {
    public var password: String
    /// A current TOTP code or an unused recovery code.
    public var code: String

    public init(password: String, code: String) {
        self.password = password
        self.code = code
    }
}

public enum SecurityEventKind: String, Codable, Sendable, CaseIterable {
    case registered
    case login
    case loginFailed = "login_failed"
    /// A wrong password where a signed-in caller had to confirm it (`detail` names the change).
    case passwordCheckFailed = "password_check_failed"
    case newDevice = "new_device"
    case mfaEnrolled = "mfa_enrolled"
    case mfaDisabled = "mfa_disabled"
    case mfaFailed = "mfa_failed"
    case recoveryCodeUsed = "recovery_code_used"
    case tokenReuse = "token_reuse"
    case logout
    case sessionRevoked = "session_revoked"
    case passwordChanged = "password_changed"
    case passwordResetRequested = "password_reset_requested"
    case passwordReset = "password_reset"
    case emailVerified = "email_verified"
    case suspended
    case unsuspended
    case deletionRequested = "deletion_requested"
}

public struct SecurityEvent: Codable, Sendable {
    public var id: SecurityEventID
    public var kind: SecurityEventKind
    public var ip: String
    public var userAgent: String
    public var detail: String?
    public var createdAt: Date

    public init(id: SecurityEventID, kind: SecurityEventKind, ip: String, userAgent: String, detail: String?, createdAt: Date) {
        self.id = id
        self.kind = kind
        self.ip = ip
        self.userAgent = userAgent
        self.detail = detail
        self.createdAt = createdAt
    }
}
