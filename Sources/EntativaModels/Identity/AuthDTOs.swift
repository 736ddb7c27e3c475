import Foundation

public struct RegisterRequest: Codable, Sendable {
    public var username: String
    public var email: String
    public var password: String
    /// A name the owner recognises in the sessions list ("Ada's phone"); the User-Agent otherwise.
    public var deviceName: String?

    public init(username: String, email: String, password: String, deviceName: String? = nil) {
        self.username = username
        self.email = email
        self.password = password
        self.deviceName = deviceName
    }
}

public struct LoginRequest: Codable, Sendable {
    /// A username or an email address.
    public var login: String
    public var password: String
    public var deviceName: String?
    /// The `device_token` of this device's last sign-in to this account: its failed attempts are
    /// then counted for the device alone, so others' failures cannot lock it out.
    public var deviceToken: String?

    public init(login: String, password: String, deviceName: String? = nil, deviceToken: String? = nil) {
        self.login = login
        self.password = password
        self.deviceName = deviceName
        self.deviceToken = deviceToken
    }
}

public struct MFALoginRequest: Codable, Sendable {
    public var mfaToken: String
    /// A current TOTP code or one of the recovery codes.
    public var code: String
    public var deviceName: String?

    public init(mfaToken: String, code: String, deviceName: String? = nil) {
        self.mfaToken = mfaToken
        self.code = code
        self.deviceName = deviceName
    }
}

public struct RefreshRequest: Codable, Sendable {
    public var refreshToken: String
    public init(refreshToken: String) { self.refreshToken = refreshToken }
}

/// A signed-in answer: a short-lived access token and the rotating refresh token of one session.
public struct AuthTokens: Codable, Sendable {
    public var account: Account
    public var accessToken: String
    public var refreshToken: String
    public var tokenType: String
    /// Seconds until `access_token` expires.
    public var expiresIn: Int
    /// After a sign-in or registration: keep it and send it with the next `login` from this device.
    public var deviceToken: String?

    public init(account: Account, accessToken: String, refreshToken: String, expiresIn: Int, deviceToken: String? = nil) {
        self.account = account
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = "Bearer"
        self.expiresIn = expiresIn
        self.deviceToken = deviceToken
    }
}

/// The answer to a correct password on an account with two-factor authentication on.
public struct MFAChallenge: Codable, Sendable {
    public var mfaRequired: Bool
    public var mfaToken: String
    public var expiresIn: Int

    public init(mfaToken: String, expiresIn: Int) {
        self.mfaRequired = true
        self.mfaToken = mfaToken
        self.expiresIn = expiresIn
    }
}

/// `POST /auth/login` answers either tokens or a second-factor challenge; `mfa_required` tells which.
public enum LoginResult: Codable, Sendable {
    case signedIn(AuthTokens)
    case mfaRequired(MFAChallenge)

    private enum Key: String, CodingKey { case mfaRequired }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if try container.decodeIfPresent(Bool.self, forKey: .mfaRequired) == true {
            self = .mfaRequired(try MFAChallenge(from: decoder))
        } else {
            self = .signedIn(try AuthTokens(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .signedIn(let tokens): try tokens.encode(to: encoder)
        case .mfaRequired(let challenge): try challenge.encode(to: encoder)
        }
    }
}

public struct ChangePasswordRequest: Codable, Sendable {
    public var currentPassword: String
    public var newPassword: String

    public init(currentPassword: String, newPassword: String) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }
}

public struct PasswordResetRequest: Codable, Sendable {
    public var email: String
    public init(email: String) { self.email = email }
}

public struct PasswordResetConfirmation: Codable, Sendable {
    public var token: String
    public var password: String

    public init(token: String, password: String) {
        self.token = token
        self.password = password
    }
}

public struct EmailVerificationRequest: Codable, Sendable {
    public var token: String
    public init(token: String) { self.token = token }
}
