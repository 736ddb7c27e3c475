import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// TOTP enrolment, recovery codes and checking a second factor.
public struct SecondFactor: Sendable {
    let env: IdentityEnvironment
    static let recoveryCodeCount = 10

    public init(env: IdentityEnvironment) { self.env = env }

    /// Starts enrolment with a fresh secret; nothing changes for sign-in until `confirm`.
    public func enroll(_ caller: Principal) async throws -> TOTPEnrollment {
        let account = try await env.activeAccount(caller.accountID, on: env.database.sql)
        guard !account.totpEnabled else {
            throw AppError.conflict("Two-factor authentication is already on; disable it first.", code: "totp-enabled")
        }
        let secret = TOTP.generateSecret()
        let encoded = Base32.encode(secret)
        try await SecondFactorStore.setPendingSecret(encoded, for: account.id, now: env.now, on: env.database.sql)
        let uri = TOTP(secret: secret).provisioningURI(account: account.username, issuer: env.kernel.config.instanceName)
        return TOTPEnrollment(secret: encoded, otpauthUri: uri)
    }

    /// Turns two-factor authentication on once the caller proves their app makes the right codes.
    public func confirm(_ caller: Principal, code: String, client: ClientInfo) async throws -> RecoveryCodes {
        let env = self.env
        let now = env.clock.now()
        return try await env.database.transaction { db in
            let account = try await env.activeAccount(caller.accountID, on: db)
            guard !account.totpEnabled else {
                throw AppError.conflict("Two-factor authentication is already on.", code: "totp-enabled")
            }
            guard let pending = account.totpPendingSecret, let secret = Base32.decode(pending) else {
                throw AppError.conflict("Start enrolment with POST /api/v1/auth/totp first.", code: "totp-not-enrolling")
            }
            guard let step = TOTP(secret: secret).matchingStep(for: code, at: now) else {
                throw AppError.invalid(field: "code", code: "incorrect", message: "is not the current code")
            }
            try await SecondFactorStore.enablePendingSecret(for: account.id, step: step, now: env.now, on: db)
            let codes = try await replaceRecoveryCodes(of: account.id, on: db)
            try await env.log.record(.mfaEnrolled, account: account.id, client: client, on: db)
            return RecoveryCodes(recoveryCodes: codes)
        }
    }

    /// Turns two-factor authentication off; needs the password and a current or recovery code.
    public func disable(_ caller: Principal, form: TOTPDisableRequest, client: ClientInfo) async throws {
        let account = try await env.activeAccount(caller.accountID, on: env.database.sql)
        guard account.totpEnabled else {
            throw AppError.conflict("Two-factor authentication is not on.", code: "totp-disabled")
        }
        try await env.requirePassword(form.password, of: account, field: "password", caller: caller, client: client, action: "totp_disable")
        // The code is a second factor like at sign-in, and shares its counters.
        let limits = SignInLimits(env: env)
        let keys = limits.secondFactor(account: account.id, client: client)
        let reservation = try await env.kernel.attempts.reserve(keys)
        guard try await verify(form.code, for: account, client: client) else {
            try await env.log.record(.mfaFailed, account: account.id, client: client, detail: "totp_disable", on: env.database.sql)
            throw AppError.invalid(field: "code", code: "incorrect", message: "is not a valid code")
        }
        try await limits.succeeded(reservation, keys: keys)
        let env = self.env
        try await env.database.transaction { db in
            try await SecondFactorStore.disable(for: account.id, now: env.now, on: db)
            try await env.log.record(.mfaDisabled, account: account.id, client: client, on: db)
        }
    }

    /// True for a TOTP code not used before, or an unused recovery code (which is then spent).
    func verify(_ code: String, for account: AccountRow, client: ClientInfo) async throws -> Bool {
        guard account.totpEnabled, let stored = account.totpSecret, let secret = Base32.decode(stored) else { return false }
        let digits = code.filter { !$0.isWhitespace }
        if digits.count == TOTP.digits, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
            guard let step = TOTP(secret: secret).matchingStep(for: digits, at: env.clock.now()) else { return false }
            // A code is good once: the step only moves forward, and only one request moves it.
            return try await SecondFactorStore.spendStep(step, for: account.id, on: env.database.sql)
        }
        let normalized = Self.normalizeRecoveryCode(code)
        guard try await SecondFactorStore.spendRecoveryCode(
            digest: SecretToken.digest(normalized), of: account.id, now: env.now, on: env.database.sql)
        else { return false }
        try await env.log.record(.recoveryCodeUsed, account: account.id, client: client, on: env.database.sql)
        return true
    }

    private func replaceRecoveryCodes(of account: AccountID, on db: any SQLDatabase) async throws -> [String] {
        let codes = (0..<Self.recoveryCodeCount).map { _ in SecretToken.recoveryCode() }
        try await SecondFactorStore.replaceRecoveryCodes(
            of: account, with: codes.map { (id: env.ids.next(), digest: SecretToken.digest($0)) }, on: db)
        return codes
    }

    static func normalizeRecoveryCode(_ code: String) -> String {
        let compact = code.lowercased().filter { $0.isLetter || $0.isNumber }
        guard compact.count == 10 else { return compact }
        return String(compact.prefix(5)) + "-" + String(compact.suffix(5))
    }
}
