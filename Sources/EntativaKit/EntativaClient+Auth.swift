import EntativaModels
import Foundation

extension EntativaClient {
    /// Creates an account and signs in. Its answer carries tokens, which the server never keeps
    /// for replay: after a lost answer, sign in (a retry answers 409, the name is taken).
    @discardableResult
    public func register(_ form: RegisterRequest) async throws -> AuthTokens {
        let tokens: AuthTokens = try await send("POST", "/api/v1/auth/register", body: form, auth: .none)
        await self.tokens.store(tokens)
        return tokens
    }

    /// Signs in; with two-factor authentication on, answer the challenge with `completeMFA`.
    /// Pass the `deviceToken` of this device's last sign-in so others' failures cannot lock it out.
    public func logIn(_ login: String, password: String, deviceName: String? = nil, deviceToken: String? = nil) async throws -> LoginResult {
        let form = LoginRequest(login: login, password: password, deviceName: deviceName, deviceToken: deviceToken)
        let result: LoginResult = try await send("POST", "/api/v1/auth/login", body: form, auth: .none)
        if case .signedIn(let tokens) = result { await self.tokens.store(tokens) }
        return result
    }

    @discardableResult
    public func completeMFA(_ challenge: MFAChallenge, code: String, deviceName: String? = nil) async throws -> AuthTokens {
        let tokens: AuthTokens = try await send(
            "POST", "/api/v1/auth/login/mfa", body: MFALoginRequest(mfaToken: challenge.mfaToken, code: code, deviceName: deviceName), auth: .none)
        await self.tokens.store(tokens)
        return tokens
    }

    /// Trades the stored refresh token for a new pair now, rather than on the next 401.
    public func refresh() async throws {
        _ = try await tokens.refresh { [self] refreshToken in try await self.refreshTokens(refreshToken) }
    }

    public func logOut() async throws {
        _ = try await send("POST", "/api/v1/auth/logout", as: Empty.self)
        await tokens.clear()
    }

    public func changePassword(current: String, new: String) async throws {
        _ = try await send("POST", "/api/v1/auth/password", body: ChangePasswordRequest(currentPassword: current, newPassword: new), as: Empty.self)
    }

    public func requestPasswordReset(email: String) async throws {
        _ = try await send("POST", "/api/v1/auth/password/forgot", body: PasswordResetRequest(email: email), auth: .none, as: Empty.self)
    }

    public func resetPassword(token: String, newPassword: String) async throws {
        _ = try await send(
            "POST", "/api/v1/auth/password/reset", body: PasswordResetConfirmation(token: token, password: newPassword), auth: .none, as: Empty.self)
    }

    public func verifyEmail(token: String) async throws {
        _ = try await send("POST", "/api/v1/auth/email/verify", body: EmailVerificationRequest(token: token), auth: .none, as: Empty.self)
    }

    public func resendVerificationEmail() async throws {
        _ = try await send("POST", "/api/v1/auth/email/resend", as: Empty.self)
    }

    public func sessions(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Session> {
        try await send("GET", "/api/v1/auth/sessions", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func revokeSession(_ id: SessionID) async throws {
        _ = try await send("DELETE", "/api/v1/auth/sessions/\(id)", as: Empty.self)
    }

    public func revokeOtherSessions() async throws {
        _ = try await send("DELETE", "/api/v1/auth/sessions", as: Empty.self)
    }

    public func enrollTOTP() async throws -> TOTPEnrollment {
        try await send("POST", "/api/v1/auth/totp")
    }

    public func confirmTOTP(code: String) async throws -> RecoveryCodes {
        try await send("POST", "/api/v1/auth/totp/confirm", body: TOTPCodeRequest(code: code))
    }

    public func disableTOTP(password: String, code: String) async throws {
        _ = try await send("DELETE", "/api/v1/auth/totp", body: TOTPDisableRequest(password: password, code: code), as: Empty.self)
    }
}
