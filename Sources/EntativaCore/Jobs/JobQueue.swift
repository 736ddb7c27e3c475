import EntativaModels
import Foundation
import Logging
import SQLKit
import Synchronization

/// A kind of background work and the payload it carries.
public struct JobDefinition<Payload: Codable & Sendable>: Sendable {
    public let kind: String
    public let maxAttempts: Int

    public init(_ kind: String, maxAttempts: Int = 8) {
        self.kind = kind
        self.maxAttempts = maxAttempts
    }
}

/// Which attempt of a job is running, so a handler can give up cleanly on its last one.
public struct JobAttempt: Sendable {
    public var number: Int
    public var maxAttempts: Int
    public var isLast: Bool { number >= maxAttempts }
}

public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued
    case running
    case done
    /// Failed `max_attempts` times; waits for an operator's `entativa admin jobs retry`.
    case dead
}

public struct JobRecord: Codable, Sendable {
    public var id: Int64
    public var kind: String
    public var payload: String
    public var state: String
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Int64
    public var lockedUntil: Int64?
    public var lastError: String?
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// The durable job queue. A job is a row written in the same transaction as the change that
/// caused it, so it exists exactly when the change does; it survives crashes because a claimed
/// job whose lease ran out is claimed again. Handlers must be idempotent: at-least-once delivery.
public final class JobQueue: Sendable {
    typealias Handler = @Sendable (String, JobAttempt) async throws -> Void

    let database: AppDatabase
    let ids: IDGenerator
    let clock: any WallClock
    let logger: Logger
    /// How long a claimed job may run before another worker may take it over.
    public let lease: Duration
    private let handlers = Mutex<[String: Handler]>([:])
    private let schedules = Mutex<[(kind: String, interval: Duration, payload: String, maxAttempts: Int)]>([])
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    /// A running job renews its lease every third of it, so a long transcode keeps its claim while a
    /// crashed worker's job is taken over within one lease.
    public init(database: AppDatabase, ids: IDGenerator, clock: any WallClock, logger: Logger, lease: Duration = .seconds(60)) {
        self.database = database
        self.ids = ids
        self.clock = clock
        self.logger = logger
        self.lease = lease
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func register<Payload>(_ definition: JobDefinition<Payload>, handler: @escaping @Sendable (Payload) async throws -> Void) {
        register(definition) { payload, _ in try await handler(payload) }
    }

    public func register<Payload>(
        _ definition: JobDefinition<Payload>, handler: @escaping @Sendable (Payload, JobAttempt) async throws -> Void
    ) {
        let decode: Handler = { text, attempt in
            let payload = try EntativaJSON.decoder().decode(Payload.self, from: Data(text.utf8))
            try await handler(payload, attempt)
        }
        handlers.withLock { $0[definition.kind] = decode }
    }

    /// Writes the job on `database`, usually the caller's transaction. Call `notify()` after commit
    /// to start it without waiting for the next poll.
    @discardableResult
    public func enqueue<Payload>(
        _ definition: JobDefinition<Payload>, _ payload: Payload, on database: any SQLDatabase, runAt: Date? = nil
    ) async throws -> JobID {
        let id = ids.next()
        let now = clock.nowMillis()
        let text = String(decoding: try EntativaJSON.encoder().encode(payload), as: UTF8.self)
        try await database.raw("""
            INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
            VALUES (\(bind: id), \(bind: definition.kind), \(bind: text), 'queued', 0, \(bind: definition.maxAttempts),
                    \(bind: runAt?.millisecondsSince1970 ?? now), \(bind: now), \(bind: now))
            """).run()
        return JobID(rawValue: id)
    }

    /// `enqueue` for many payloads in one statement, for fan-out.
    public func enqueue<Payload>(_ definition: JobDefinition<Payload>, many payloads: [Payload], on database: any SQLDatabase) async throws {
        let now = clock.nowMillis()
        let encoder = EntativaJSON.encoder()
        for chunk in stride(from: 0, to: payloads.count, by: 500).map({ Array(payloads[$0..<min($0 + 500, payloads.count)]) }) {
            let rows = try chunk.map { payload in
                let text = String(decoding: try encoder.encode(payload), as: UTF8.self)
                return SQLGroupExpression([
                    SQLBind(ids.next()), SQLBind(definition.kind), SQLBind(text), SQLLiteral.string("queued"), SQLLiteral.numeric("0"),
                    SQLBind(definition.maxAttempts), SQLBind(now), SQLBind(now), SQLBind(now),
                ])
            }
            try await database.raw("""
                INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at) VALUES \(SQLList(rows))
                """).run()
        }
    }

    public func notify() { wakeContinuation.yield() }

    /// Runs `definition` every `interval`: a job of that kind is kept queued, due one interval
    /// after the last one finished. Several instances may each add one; scheduled handlers are
    /// idempotent like every other.
    public func every<Payload>(_ definition: JobDefinition<Payload>, interval: Duration, payload: Payload) throws {
        let text = String(decoding: try EntativaJSON.encoder().encode(payload), as: UTF8.self)
        schedules.withLock { $0.append((definition.kind, interval, text, definition.maxAttempts)) }
    }

    /// Queues the next run of each scheduled job that has none waiting; called by the worker.
    public func ensureScheduled() async throws {
        for schedule in schedules.withLock({ $0 }) {
            let now = clock.nowMillis()
            try await database.sql.raw("""
                INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
                SELECT \(bind: ids.next()), \(bind: schedule.kind), \(bind: schedule.payload), 'queued', 0,
                    \(bind: schedule.maxAttempts), \(bind: now + schedule.interval.milliseconds), \(bind: now), \(bind: now)
                WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = \(bind: schedule.kind) AND state IN ('queued', 'running'))
                """).run()
        }
    }

    var wakeUps: AsyncStream<Void> { wakeStream }

    /// Claims up to `limit` due jobs and runs them; returns how many ran.
    @discardableResult
    public func runDueJobs(limit: Int = 16) async throws -> Int {
        let claimed = try await claim(limit: limit)
        for job in claimed { await run(job) }
        return claimed.count
    }

    /// Runs due jobs until none is left; for tests and the `admin jobs run` command.
    public func drain() async throws {
        while try await runDueJobs() > 0 {}
    }

    private func claim(limit: Int) async throws -> [JobRecord] {
        let now = clock.nowMillis()
        let leaseEnd = now + lease.milliseconds
        return try await database.sql.raw("""
            UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = \(bind: leaseEnd), updated_at = \(bind: now)
            WHERE id IN (
                SELECT id FROM jobs
                WHERE (state = 'queued' AND run_at <= \(bind: now)) OR (state = 'running' AND locked_until <= \(bind: now))
                ORDER BY run_at, id LIMIT \(bind: limit)\(unsafeRaw: database.skipLocked))
            RETURNING *
            """).all().map { try $0.decode(JobRecord.self) }
            // RETURNING promises no order; run oldest first.
            .sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
    }

    private func run(_ job: JobRecord) async {
        var logger = logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "job_kind"] = "\(job.kind)"
        guard job.attempts <= job.maxAttempts else {
            await finish(job, error: "lease expired after the last attempt", logger: logger)
            return
        }
        guard let handler = handlers.withLock({ $0[job.kind] }) else {
            await finish(job, error: "no handler for \(job.kind) in this process", logger: logger)
            return
        }
        let attempt = JobAttempt(number: job.attempts, maxAttempts: job.maxAttempts)
        let outcome: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await handler(job.payload, attempt)
                    return nil
                } catch {
                    return String(describing: error)
                }
            }
            group.addTask { await self.renewLease(of: job.id); return "lease renewal ended" }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await finish(job, error: outcome, logger: logger)
    }

    /// Extends a running job's lease until cancelled.
    private func renewLease(of id: Int64) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: lease / 3)
            if Task.isCancelled { return }
            let until = clock.nowMillis() + lease.milliseconds
            try? await database.sql.raw("""
                UPDATE jobs SET locked_until = \(bind: until) WHERE id = \(bind: id) AND state = 'running'
                """).run()
        }
    }

    private func finish(_ job: JobRecord, error: String?, logger: Logger) async {
        let now = clock.nowMillis()
        do {
            if let error {
                let dead = job.attempts >= job.maxAttempts
                let runAt = now + Self.backoff(attempt: job.attempts).milliseconds
                try await database.sql.raw("""
                    UPDATE jobs SET state = \(bind: dead ? JobState.dead.rawValue : JobState.queued.rawValue),
                        run_at = \(bind: runAt), locked_until = NULL, last_error = \(bind: String(error.prefix(2000))),
                        updated_at = \(bind: now)
                    WHERE id = \(bind: job.id)
                    """).run()
                logger.warning("job failed", metadata: ["error": "\(error)", "dead": "\(dead)", "attempt": "\(job.attempts)"])
            } else {
                // A finished job's payload has no further use, and it may name accounts (a deletion,
                // a mail's address): done rows are kept a week for the record, without it.
                try await database.sql.raw("""
                    UPDATE jobs SET state = 'done', payload = '', locked_until = NULL, updated_at = \(bind: now) WHERE id = \(bind: job.id)
                    """).run()
            }
        } catch {
            // The lease runs out and the job is claimed again: the handler is idempotent.
            logger.error("could not record job outcome", metadata: ["error": "\(error)"])
        }
    }

    /// 2, 4, 8 … seconds, at most an hour.
    static func backoff(attempt: Int) -> Duration {
        .seconds(min(3600, 1 << min(max(attempt, 1), 12)))
    }
}

extension JobQueue {
    public func list(state: JobState?, limit: Int = 50) async throws -> [JobRecord] {
        let rows: [any SQLRow]
        if let state {
            rows = try await database.sql.raw("""
                SELECT * FROM jobs WHERE state = \(bind: state.rawValue) ORDER BY id DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await database.sql.raw("SELECT * FROM jobs ORDER BY id DESC LIMIT \(bind: limit)").all()
        }
        return try rows.map { try $0.decode(JobRecord.self) }
    }

    /// Puts a dead job back in the queue with a fresh set of attempts; false if it is not dead.
    public func retry(id: Int64) async throws -> Bool {
        let now = clock.nowMillis()
        let rows = try await database.sql.raw("""
            UPDATE jobs SET state = 'queued', attempts = 0, run_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'dead' RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func retryAllDead() async throws -> Int {
        let now = clock.nowMillis()
        return try await database.sql.raw("""
            UPDATE jobs SET state = 'queued', attempts = 0, run_at = \(bind: now), updated_at = \(bind: now)
            WHERE state = 'dead' RETURNING id
            """).all().count
    }

    /// Forgets finished jobs older than `age`; dead ones stay until an operator acts.
    public func purgeDone(olderThan age: Duration) async throws {
        let cutoff = clock.nowMillis() - age.milliseconds
        try await database.sql.raw("DELETE FROM jobs WHERE state = 'done' AND updated_at < \(bind: cutoff)").run()
    }
}
