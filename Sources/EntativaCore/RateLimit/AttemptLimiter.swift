import Foundation
import SQLKit

/// A named rule: `attempts` within `window`. The attempt after the last allowed one is refused and
/// blocks the key for the window, doubling with each repeated offence up to `maxBackoff`.
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

/// One counter: a rule applied to one key ("ip:…", "account:…").
public struct AttemptKey: Sendable {
    public var rule: AttemptRule
    public var key: String

    public init(_ rule: AttemptRule, _ key: String) {
        self.rule = rule
        self.key = key
    }

    /// The row's primary key in `rate_limits`.
    var id: String { rule.name + ":" + key }
}

/// Attempts counted by `reserve`, to give back with `refund` when the attempt succeeded.
public struct AttemptReservation: Sendable {
    let keys: [AttemptKey]
    let at: Int64
}

/// Counts security-sensitive attempts (password and code checks, registrations, mails) in the
/// database, so every instance behind a load balancer sees the same counts and a restart forgets
/// nothing. Attempts are counted *before* the work they guard (decision 0009): a check after the
/// fact lets every request of a concurrent burst through.
public struct AttemptLimiter: Sendable {
    let database: AppDatabase
    let clock: any WallClock

    public init(database: AppDatabase, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// Counts one attempt against every key in one transaction, or, when any key has no budget
    /// left, counts nothing and fails with 429 and `Retry-After` (starting the block of each key
    /// that ran out).
    @discardableResult
    public func reserve(_ keys: [AttemptKey]) async throws -> AttemptReservation {
        let now = clock.nowMillis()
        // One lock order for every caller, so two reservations that share keys cannot deadlock:
        // byte order, which is how the database sorts the keys it locks (`COLLATE "C"`).
        var seen = Set<String>()
        let keys = keys.filter { seen.insert($0.id).inserted }.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        guard !keys.isEmpty else { return AttemptReservation(keys: [], at: now) }
        let (lock, byteOrder) = (database.forUpdate, database.engine == .postgres ? " COLLATE \"C\"" : "")
        // A burst on one key queues on its row, so the transaction holds the lock for two
        // statements only (one read, one write): each round trip inside it is paid by every
        // request waiting behind.
        let wait: Int64 = try await database.transaction { db in
            let fresh = keys.map { key in
                SQLGroupExpression([
                    SQLBind(key.id), SQLBind(now), SQLLiteral.numeric("0"), SQLLiteral.numeric("0"), SQLLiteral.numeric("0"),
                    SQLBind(now + key.rule.window.milliseconds),
                ])
            }
            try await db.raw("""
                INSERT INTO rate_limits (key, window_start, hits, strikes, blocked_until, expires_at)
                VALUES \(SQLList(fresh)) ON CONFLICT (key) DO NOTHING
                """).run()
            let rows = try await db.raw("""
                SELECT key, window_start, hits, strikes, blocked_until FROM rate_limits
                WHERE key IN \(SQLGroupExpression(keys.map { SQLBind($0.id) }))
                ORDER BY key\(unsafeRaw: byteOrder)\(unsafeRaw: lock)
                """).all()
            var counters: [String: Counter] = [:]
            for row in rows {
                counters[try row.decode(column: "key", as: String.self)] = try row.decode(Counter.self)
            }
            var wait: Int64 = 0
            var blocked: [AttemptKey] = []
            for key in keys {
                guard var counter = counters[key.id] else { continue }
                counter.roll(at: now, rule: key.rule)
                if counter.blockedUntil > now {
                    wait = max(wait, counter.blockedUntil - now)
                } else if counter.hits >= key.rule.attempts {
                    counter.block(at: now, rule: key.rule)
                    wait = max(wait, counter.blockedUntil - now)
                    blocked.append(key)
                } else {
                    counter.hits += 1
                }
                counters[key.id] = counter
            }
            // Refused: only the blocks just started are written; no other key pays for the attempt.
            let changed = (wait > 0 ? blocked : keys).compactMap { key in counters[key.id].map { (key, $0) } }
            guard !changed.isEmpty else { return wait }
            let values = changed.map { key, counter -> SQLQueryString in
                "SELECT \(bind: key.id) AS key, \(bind: counter.windowStart) AS window_start, \(bind: counter.hits) AS hits, \(bind: counter.strikes) AS strikes, \(bind: counter.blockedUntil) AS blocked_until, \(bind: counter.expiresAt(rule: key.rule)) AS expires_at"
            }
            try await db.raw("""
                UPDATE rate_limits SET window_start = v.window_start, hits = v.hits, strikes = v.strikes,
                    blocked_until = v.blocked_until, expires_at = v.expires_at
                FROM (\(SQLList(values, separator: SQLRaw(" UNION ALL ")))) AS v
                WHERE rate_limits.key = v.key
                """).run()
            return wait
        }
        if wait > 0 { throw AppError.rateLimited(retryAfter: Int((wait + 999) / 1000)) }
        return AttemptReservation(keys: keys, at: now)
    }

    /// Gives back a reservation whose attempt succeeded (the right password is not a guess), unless
    /// its window has ended or a block started since. One statement per key, in the reservation's
    /// order, so a refund never holds one row while waiting for another.
    public func refund(_ reservation: AttemptReservation) async throws {
        for key in reservation.keys {
            try await database.sql.raw("""
                UPDATE rate_limits SET hits = hits - 1
                WHERE key = \(bind: key.id) AND hits > 0 AND window_start <= \(bind: reservation.at)
                """).run()
        }
    }

    /// Checks and counts in one step, for rules where every attempt counts (registrations, mails).
    public func consume(_ rule: AttemptRule, keys: [String]) async throws {
        try await reserve(keys.map { AttemptKey(rule, $0) })
    }

    /// Forgets a key's attempts in its current window, e.g. a device's typos once its owner is in.
    public func reset(_ key: AttemptKey) async throws {
        try await database.sql.raw("UPDATE rate_limits SET hits = 0 WHERE key = \(bind: key.id)").run()
    }

    /// Deletes the counters that remember nothing any more: window over, block over and every
    /// strike forgiven (`expires_at`), so a deleted row and a fresh one behave alike. Rows a
    /// reservation holds are skipped, never waited for, and deleted next time.
    public func purge(batch: Int = 1000) async throws {
        let now = clock.nowMillis()
        while true {
            let deleted = try await database.sql.raw("""
                DELETE FROM rate_limits WHERE key IN (
                    SELECT key FROM rate_limits WHERE expires_at <= \(bind: now)
                    ORDER BY key LIMIT \(bind: batch)\(unsafeRaw: database.skipLocked))
                RETURNING key
                """).all().count
            if deleted < batch { return }
        }
    }
}
