import Foundation
import SQLKit

/// A named rule: `attempts` within `window`, after which the key is blocked for the window,
/// doubling with each repeated offence up to `maxBackoff`.
public struct AttemptRule: Sendable {
    public var name: String
    public var attempts: Int
    public var window: Duration
    public var maxBackoff: Duration

    public init(name: String, attempts: Int, window: Duration, maxBackoff: Duration) {
        self.name = name
        self.attempts = attempts
        self.window = window
        self.maxBackoff = maxBackoff
    }
}

/// Counts security-sensitive attempts (failed logins, registrations, mails) in the database, so
/// every instance behind a load balancer sees the same counts and a restart forgets nothing.
public struct AttemptLimiter: Sendable {
    let database: AppDatabase
    let clock: any WallClock

    public init(database: AppDatabase, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Fails with 429 and `Retry-After` while any of `keys` is blocked under `rule`.
    public func check(_ rule: AttemptRule, keys: [String]) async throws {
        let now = clock.nowMillis()
        for key in keys {
            let rows = try await database.sql.raw("""
                SELECT blocked_until FROM rate_limits WHERE key = \(bind: rule.name + ":" + key)
                """).all()
            if let blockedUntil = try rows.first?.decode(column: "blocked_until", as: Int64.self), blockedUntil > now {
                throw AppError.rateLimited(retryAfter: Int((blockedUntil - now + 999) / 1000))
            }
        }
    }

    /// Counts one attempt against each key; the attempt that reaches the limit starts the block.
    public func record(_ rule: AttemptRule, keys: [String]) async throws {
        let now = clock.nowMillis()
        let window = rule.window.milliseconds
        let lock = database.forUpdate
        for key in keys {
            let fullKey = rule.name + ":" + key
            try await database.transaction { db in
                try await db.raw("""
                    INSERT INTO rate_limits (key, window_start, hits, strikes, blocked_until)
                    VALUES (\(bind: fullKey), \(bind: now), 0, 0, 0) ON CONFLICT (key) DO NOTHING
                    """).run()
                let row = try await db.raw("""
                    SELECT window_start, hits, strikes, blocked_until FROM rate_limits WHERE key = \(bind: fullKey)\(unsafeRaw: lock)
                    """).first()
                guard let row else { return }
                var state = try row.decode(Counter.self)
                state.count(at: now, window: window, limit: rule.attempts, maxBackoff: rule.maxBackoff.milliseconds)
                try await db.raw("""
                    UPDATE rate_limits SET window_start = \(bind: state.windowStart), hits = \(bind: state.hits),
                        strikes = \(bind: state.strikes), blocked_until = \(bind: state.blockedUntil)
                    WHERE key = \(bind: fullKey)
                    """).run()
            }
        }
    }

    /// Checks and counts in one step, for rules where every attempt counts (registrations, mails).
    public func consume(_ rule: AttemptRule, keys: [String]) async throws {
        try await check(rule, keys: keys)
        try await record(rule, keys: keys)
    }

    /// Forgets a key, e.g. an account's failures after its owner signs in.
    public func reset(_ rule: AttemptRule, key: String) async throws {
        try await database.sql.raw("""
            UPDATE rate_limits SET hits = 0 WHERE key = \(bind: rule.name + ":" + key)
            """).run()
    }

    struct Counter: Decodable {
        var windowStart: Int64
        var hits: Int
        var strikes: Int
        var blockedUntil: Int64

        mutating func count(at now: Int64, window: Int64, limit: Int, maxBackoff: Int64) {
            if now - windowStart >= window {
                // A quiet stretch as long as the last block forgives one strike.
                let lastBlock = window << min(max(strikes - 1, 0), 20)
                if strikes > 0, now - blockedUntil >= lastBlock { strikes -= 1 }
                windowStart = now
                hits = 0
            }
            hits += 1
            if hits >= limit {
                strikes += 1
                blockedUntil = now + min(maxBackoff, window << min(strikes - 1, 20))
                windowStart = now
                hits = 0
            }
        }
    }
}
