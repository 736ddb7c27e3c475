/// The state of one `rate_limits` row and the arithmetic of windows, blocks and strikes.
struct Counter: Decodable {
    var windowStart: Int64
    var hits: Int
    var strikes: Int
    var blockedUntil: Int64

    /// Starts a new window once the old one is over. The quiet stretch since the last block
    /// forgives strikes, latest first, each as long as the block it earned.
    mutating func roll(at now: Int64, rule: AttemptRule) {
        guard now - windowStart >= rule.window.milliseconds else { return }
        windowStart = now
        hits = 0
        var quiet = now - blockedUntil
        while strikes > 0, quiet >= Self.block(strikes, rule: rule) {
            quiet -= Self.block(strikes, rule: rule)
            strikes -= 1
        }
    }

    /// Refuses from now on for one more strike's block.
    mutating func block(at now: Int64, rule: AttemptRule) {
        strikes = min(strikes + 1, Self.maxStrikes(rule))
        blockedUntil = now + Self.block(strikes, rule: rule)
        windowStart = now
        hits = 0
    }

    /// When the row carries nothing a fresh row would not: its window is over and the quiet
    /// stretch after its block has forgiven every strike. The purge deletes it then.
    func expiresAt(rule: AttemptRule) -> Int64 {
        let forgiveness = strikes > 0 ? (1...strikes).reduce(Int64(0)) { $0 + Self.block($1, rule: rule) } : 0
        return max(windowStart + rule.window.milliseconds, blockedUntil + forgiveness)
    }

    /// The block the `strike`th offence earns: one window, doubling, at most `maxBackoff`.
    static func block(_ strike: Int, rule: AttemptRule) -> Int64 {
        min(rule.maxBackoff.milliseconds, rule.window.milliseconds << min(max(strike - 1, 0), 20))
    }

    /// Strikes beyond the one whose block reaches `maxBackoff` change nothing, so they are not
    /// kept: a persistent offender's row still expires within a bounded quiet time.
    static func maxStrikes(_ rule: AttemptRule) -> Int {
        var strikes = 1
        while strikes <= 20, block(strikes, rule: rule) < rule.maxBackoff.milliseconds { strikes += 1 }
        return strikes
    }
}
