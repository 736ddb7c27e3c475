import EntativaCore
import EntativaModels

/// Which attempt counters a password or code check is charged to (decision 0009). A guesser is
/// throttled per account and address, per address, and by a high ceiling per account; a device
/// that signed in before is charged to itself alone, so no stranger can lock its owner out.
struct SignInLimits: Sendable {
    let env: IdentityEnvironment

    /// `subject` is the account's ID, or the login as typed when no account has it, so probing
    /// names costs as much as guessing passwords. `device` is a trusted device's token ID.
    func password(subject: String, client: ClientInfo, device: String?) -> [AttemptKey] {
        if let device { return [AttemptKey(env.loginRule, "device:\(device)")] }
        return [
            AttemptKey(env.loginRule, "account:\(subject)|ip:\(client.ip)"),
            AttemptKey(env.loginAddressRule, "ip:\(client.ip)"),
            AttemptKey(env.loginAccountRule, "account:\(subject)"),
        ]
    }

    /// Only a caller who knew the password is asked for a code, so codes count per account;
    /// the address counter is the one password guesses spend too.
    func secondFactor(account: AccountID, client: ClientInfo) -> [AttemptKey] {
        [AttemptKey(env.mfaRule, "account:\(account)"), AttemptKey(env.loginAddressRule, "ip:\(client.ip)")]
    }

    /// A success gives its attempt back and forgives the typos of whoever got in (their device,
    /// or their account at their address). The address and the account ceiling keep counting
    /// others' failures: signing in to one's own account must not reset a guesser's budget.
    func succeeded(_ reservation: AttemptReservation, keys: [AttemptKey]) async throws {
        try await env.kernel.attempts.refund(reservation)
        for key in keys where key.rule.name == env.loginRule.name || key.rule.name == env.mfaRule.name {
            try await env.kernel.attempts.reset(key)
        }
    }
}
