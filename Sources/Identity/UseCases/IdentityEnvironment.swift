import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// What the identity use cases share: the kernel's services plus credentials handling.
public final class IdentityEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: IdentitySettings
    public let tokens: AccessTokens
    public let hasher: PasswordHasher
    /// Where accounts' counts come from; the composition root installs the graph's and the posts domain's.
    public let stats: AccountStatsSlot
    let log: SecurityLog
    let sessionStandings: SessionStandings
    let accountRows: AccountRows

    public init(kernel: Kernel, settings: IdentitySettings, tokens: AccessTokens) {
        self.kernel = kernel
        self.settings = settings
        self.tokens = tokens
        hasher = PasswordHasher(cost: settings.bcryptCost)
        stats = AccountStatsSlot()
        log = SecurityLog(ids: kernel.ids, clock: kernel.clock)
        sessionStandings = SessionStandings(invalidation: kernel.database.invalidation, lifetime: settings.sessionCacheLifetime)
        accountRows = AccountRows(database: kernel.database)
    }

    var database: AppDatabase { kernel.database }
    var clock: any WallClock { kernel.clock }
    var ids: IDGenerator { kernel.ids }
    var now: Int64 { kernel.clock.nowMillis() }

    /// Sign-ins per account and address, and per trusted device.
    var loginRule: AttemptRule {
        AttemptRule(name: "login", attempts: settings.loginAttempts, window: settings.loginWindow, maxBackoff: settings.maxBackoff)
    }

    /// Sign-ins and second-factor codes per address, whichever accounts they name.
    var loginAddressRule: AttemptRule {
        AttemptRule(name: "login-ip", attempts: settings.loginAttemptsPerIP, window: settings.loginWindow, maxBackoff: settings.maxBackoff)
    }

    /// The ceiling per account for devices it does not know. Its block is one window and never
    /// grows: a guesser spread over many addresses cannot lock those sign-ins for longer.
    var loginAccountRule: AttemptRule {
        AttemptRule(
            name: "login-account", attempts: settings.loginAttemptsPerAccount, window: settings.loginAccountWindow,
            maxBackoff: settings.loginAccountWindow)
    }

    /// Second-factor codes per account; only a caller who knew the password gets this far.
    var mfaRule: AttemptRule {
        AttemptRule(name: "mfa", attempts: settings.loginAttempts, window: settings.loginWindow, maxBackoff: settings.maxBackoff)
    }

    var registrationRule: AttemptRule {
        AttemptRule(
            name: "register", attempts: settings.registrationsPerIP, window: settings.registrationWindow, maxBackoff: settings.maxBackoff)
    }

    var mailRule: AttemptRule {
        AttemptRule(name: "mail", attempts: settings.mailsPerAddress, window: settings.mailWindow, maxBackoff: settings.maxBackoff)
    }

    /// The account of a signed-in caller; gone or no longer active means the token is no good.
    func activeAccount(_ id: AccountID, on db: any SQLDatabase) async throws -> AccountRow {
        guard let row = try await AccountStore.find(id, on: db), row.state == .active else {
            throw AppError.unauthenticated("This account is not active.")
        }
        return row
    }

    /// Re-confirmed passwords per session: creating a session takes the password, so whoever
    /// holds a stolen access token has this budget and no other.
    var reconfirmRule: AttemptRule {
        AttemptRule(name: "reconfirm", attempts: settings.loginAttempts, window: settings.loginWindow, maxBackoff: settings.maxBackoff)
    }

    /// Checks the caller's password for a sensitive change (`action`); a wrong one is a 422 on
    /// `field`. Counted before bcrypt and logged like a failed sign-in, so a stolen access token
    /// does not become a way to guess the password online.
    func requirePassword(
        _ password: String, of account: AccountRow, field: String, caller: Principal, client: ClientInfo, action: String
    ) async throws {
        let reservation = try await kernel.attempts.reserve([AttemptKey(reconfirmRule, "session:\(caller.sessionID)")])
        guard try await hasher.verify(password, against: account.passwordHash) else {
            try await log.record(.passwordCheckFailed, account: account.id, client: client, detail: action, on: database.sql)
            throw AppError.invalid(field: field, code: "incorrect", message: "is not the account's password")
        }
        try await kernel.attempts.refund(reservation)
    }

    func publicURL(_ path: String) -> String {
        kernel.config.publicURL + path
    }
}
