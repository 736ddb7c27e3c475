import EntativaCore

/// Identity's settings: token lifetimes, the password hash's cost and the sign-in, registration
/// and mail attempt limits (`ENTATIVA_BCRYPT_COST`, `ENTATIVA_LOGIN_*`, `ENTATIVA_REGISTRATIONS_PER_IP`).
public struct IdentitySettings: ModuleSettings {
    /// bcrypt work factor for new password hashes. 12 in production; tests lower it for speed.
    public var bcryptCost: Int = 12
    public var accessTokenLifetime: Duration = .seconds(15 * 60)
    public var refreshTokenLifetime: Duration = .seconds(30 * 24 * 3600)
    public var mfaTokenLifetime: Duration = .seconds(5 * 60)
    /// Codes one `mfa_token` may try; it is spent by the sign-in it completes.
    public var mfaAttemptsPerToken = 5
    public var emailTokenLifetime: Duration = .seconds(24 * 3600)
    public var passwordResetTokenLifetime: Duration = .seconds(3600)
    /// Failed sign-ins per account and address, per trusted device, and second-factor codes per
    /// account within `loginWindow` before back-off starts (decision 0009).
    public var loginAttempts: Int = 5
    /// Failed sign-ins per address, whichever accounts they name, within `loginWindow`.
    public var loginAttemptsPerIP: Int = 20
    public var loginWindow: Duration = .seconds(60)
    /// Failed sign-ins per account from devices it does not know, from anywhere, within
    /// `loginAccountWindow`; then such sign-ins wait out the window while known devices go on.
    public var loginAttemptsPerAccount: Int = 100
    public var loginAccountWindow: Duration = .seconds(3600)
    /// How long a device token earns its device its own sign-in budget.
    public var deviceTokenLifetime: Duration = .seconds(365 * 24 * 3600)
    public var registrationsPerIP: Int = 10
    public var registrationWindow: Duration = .seconds(3600)
    /// Password-reset and verification mails per account or address.
    public var mailsPerAddress: Int = 5
    public var mailWindow: Duration = .seconds(3600)
    /// The longest back-off a repeated offender gets.
    public var maxBackoff: Duration = .seconds(3600)
    /// How long a checked session may be trusted without reading it again; revocation,
    /// suspension, deletion and role changes drop it at once on every instance regardless.
    /// Zero reads the session on every request.
    public var sessionCacheLifetime: Duration = .seconds(60)

    public init() {}

    public init(reading reader: SettingsReader) throws {
        bcryptCost = try reader.integer("ENTATIVA_BCRYPT_COST", in: 4...31) ?? bcryptCost
        let attempts = 1...1_000_000
        loginAttempts = try reader.integer("ENTATIVA_LOGIN_ATTEMPTS", in: attempts) ?? loginAttempts
        loginAttemptsPerIP = try reader.integer("ENTATIVA_LOGIN_ATTEMPTS_PER_IP", in: attempts) ?? loginAttemptsPerIP
        loginAttemptsPerAccount = try reader.integer("ENTATIVA_LOGIN_ATTEMPTS_PER_ACCOUNT", in: attempts) ?? loginAttemptsPerAccount
        registrationsPerIP = try reader.integer("ENTATIVA_REGISTRATIONS_PER_IP", in: 1...Int.max) ?? registrationsPerIP
        sessionCacheLifetime = try reader.integer("ENTATIVA_SESSION_CACHE_SECONDS", in: 0...3600).map { .seconds($0) } ?? sessionCacheLifetime
    }

    /// Identity's part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        [
            "access_token_lifetime_seconds": accessTokenLifetime.publishedSeconds,
            "refresh_token_lifetime_seconds": refreshTokenLifetime.publishedSeconds,
            "mfa_token_lifetime_seconds": mfaTokenLifetime.publishedSeconds,
            "mfa_attempts_per_token": Double(mfaAttemptsPerToken),
            "device_token_lifetime_seconds": deviceTokenLifetime.publishedSeconds,
            "email_token_lifetime_seconds": emailTokenLifetime.publishedSeconds,
            "password_reset_token_lifetime_seconds": passwordResetTokenLifetime.publishedSeconds,
            "login_attempts_per_minute": Double(loginAttempts),
            "login_attempts_per_ip_per_minute": Double(loginAttemptsPerIP),
            "login_window_seconds": loginWindow.publishedSeconds,
            "login_attempts_per_account_per_hour": Double(loginAttemptsPerAccount),
            "login_account_window_seconds": loginAccountWindow.publishedSeconds,
            "registrations_per_ip_per_hour": Double(registrationsPerIP),
            "registration_window_seconds": registrationWindow.publishedSeconds,
            "mails_per_address": Double(mailsPerAddress),
            "mail_window_seconds": mailWindow.publishedSeconds,
            "max_backoff_seconds": maxBackoff.publishedSeconds,
        ]
    }
}
