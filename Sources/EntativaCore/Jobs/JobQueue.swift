import EntativaModels
import Foundation
import Logging
import SQLKit
import Synchronization

/// The durable job queue. A job is a row written in the same transaction as the change that
/// caused it, so it exists exactly when the change does; it survives crashes because a claimed
/// job whose lease ran out is claimed again. Handlers must be idempotent: at-least-once delivery.
/// Claiming, running and finishing live in `JobClaims` and `JobExecution`; the loops that call
/// them in `BackgroundWorker` (docs/jobs.md).
public final class JobQueue: Sendable {
    /// What runs a kind: its lane, how many jobs it takes at once, and the decoding handler.
    struct Registration: Sendable {
        var lane: JobLane
        var maxBatch: Int
        var handle: @Sendable ([JobRecord]) async throws -> Void
    }

    let database: AppDatabase
    let ids: IDGenerator
    let clock: any WallClock
    let logger: Logger
    /// How long a claimed job may run before another worker may take it over.
    public let lease: Duration
    let wakeUps = JobWakeUps()
    private let registrations = Mutex<[String: Registration]>([:])
    private let schedules = Mutex<[String: (interval: Duration, payload: String, maxAttempts: Int, lane: String)]>([:])
    /// Statements the claiming loops sent, so tests can tell an idle worker from a polling one.
    let loopStatements = Atomic<Int>(0)

    /// A running job renews its lease every third of it, so a long transcode keeps its claim while a
    /// crashed worker's job is taken over within one lease.
    public init(database: AppDatabase, ids: IDGenerator, clock: any WallClock, logger: Logger, lease: Duration = .seconds(60)) {
        self.database = database
        self.ids = ids
        self.clock = clock
        self.logger = logger
        self.lease = lease
        registerHousekeeping()
    }

    /// Statements sent by claiming, scheduling and dispatching loops since this queue was made.
    public var workerStatementCount: Int { loopStatements.load(ordering: .relaxed) }

    public func register<Payload>(_ definition: JobDefinition<Payload>, handler: @escaping @Sendable (Payload) async throws -> Void) {
        register(definition) { payload, _ in try await handler(payload) }
    }

    public func register<Payload>(
        _ definition: JobDefinition<Payload>, handler: @escaping @Sendable (Payload, JobAttempt) async throws -> Void
    ) {
        add(definition, maxBatch: 1) { records in
            for record in records {
                let payload = try EntativaJSON.decoder().decode(Payload.self, from: Data(record.payload.utf8))
                try await handler(payload, JobAttempt(number: record.attempts, maxAttempts: record.maxAttempts))
            }
        }
    }

    /// Registers a kind whose due jobs are claimed up to `maxBatch` at once and handed over
    /// together. When the handler throws, each job of the batch runs again alone, so one bad
    /// payload fails only its own job.
    public func registerBatch<Payload>(
        _ definition: JobDefinition<Payload>, maxBatch: Int, handler: @escaping @Sendable ([Payload]) async throws -> Void
    ) {
        precondition(maxBatch >= 1, "a batch holds at least one job")
        add(definition, maxBatch: maxBatch) { records in
            let decoder = EntativaJSON.decoder()
            try await handler(try records.map { try decoder.decode(Payload.self, from: Data($0.payload.utf8)) })
        }
    }

    private func add<Payload>(
        _ definition: JobDefinition<Payload>, maxBatch: Int, handle: @escaping @Sendable ([JobRecord]) async throws -> Void
    ) {
        registrations.withLock { $0[definition.kind] = Registration(lane: definition.lane, maxBatch: maxBatch, handle: handle) }
    }

    func registration(for kind: String) -> Registration? { registrations.withLock { $0[kind] } }

    /// The lanes of every registered kind: the lanes a worker in this process runs.
    public var registeredLanes: [JobLane] {
        Array(Set(registrations.withLock { $0.values.map(\.lane) })).sorted { $0.name < $1.name }
    }

    /// Writes the job on `database`, usually the caller's transaction, and wakes the workers of its
    /// lane when that transaction commits. `notify()` after commit is still welcome: it saves this
    /// process the round trip through the database.
    @discardableResult
    public func enqueue<Payload>(
        _ definition: JobDefinition<Payload>, _ payload: Payload, on database: any SQLDatabase, runAt: Date? = nil
    ) async throws -> JobID {
        let id = try await insert(definition, payload, on: database, runAt: runAt)
        try await wake(lanes: [definition.lane.name], on: database)
        return JobID(rawValue: id)
    }

    /// `enqueue` without the wake-up, for callers that enqueue many jobs and wake once.
    func insert<Payload>(_ definition: JobDefinition<Payload>, _ payload: Payload, on database: any SQLDatabase, runAt: Date? = nil) async throws -> Int64 {
        let id = ids.next()
        let now = clock.nowMillis()
        let text = String(decoding: try EntativaJSON.encoder().encode(payload), as: UTF8.self)
        try await database.raw("""
            INSERT INTO jobs (id, kind, lane, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
            VALUES (\(bind: id), \(bind: definition.kind), \(bind: definition.lane.name), \(bind: text), 'queued', 0,
                    \(bind: definition.maxAttempts), \(bind: runAt?.millisecondsSince1970 ?? now), \(bind: now), \(bind: now))
            """).run()
        return id
    }

    /// `enqueue` for many payloads in one statement per 500, for fan-out.
    public func enqueue<Payload>(_ definition: JobDefinition<Payload>, many payloads: [Payload], on database: any SQLDatabase) async throws {
        guard !payloads.isEmpty else { return }
        let now = clock.nowMillis()
        let encoder = EntativaJSON.encoder()
        for chunk in stride(from: 0, to: payloads.count, by: 500).map({ Array(payloads[$0..<min($0 + 500, payloads.count)]) }) {
            let rows = try chunk.map { payload in
                let text = String(decoding: try encoder.encode(payload), as: UTF8.self)
                return SQLGroupExpression([
                    SQLBind(ids.next()), SQLBind(definition.kind), SQLBind(definition.lane.name), SQLBind(text), SQLLiteral.string("queued"),
                    SQLLiteral.numeric("0"), SQLBind(definition.maxAttempts), SQLBind(now), SQLBind(now), SQLBind(now),
                ])
            }
            try await database.raw("""
                INSERT INTO jobs (id, kind, lane, payload, state, attempts, max_attempts, run_at, created_at, updated_at) VALUES \(SQLList(rows))
                """).run()
        }
        try await wake(lanes: [definition.lane.name], on: database)
    }

    /// On PostgreSQL a `pg_notify` in the writing transaction, delivered to every instance's
    /// listener when (and only if) it commits. SQLite has one process and one connection: a loop
    /// woken now waits for that connection, so it claims after the commit.
    func wake(lanes: Set<String>, on database: any SQLDatabase) async throws {
        if self.database.engine == .postgres {
            for lane in lanes.sorted() {
                try await database.raw("SELECT pg_notify(\(bind: JobWakeUps.channel), \(bind: lane))").run()
            }
        } else {
            for lane in lanes { wakeUps.wake(lane) }
        }
    }

    /// Wakes every loop of this process at once.
    public func notify() { wakeUps.wakeAll() }

    /// Runs `definition` every `interval`: a job of that kind is kept queued, due one interval
    /// after the last one finished. Several instances may each add one; scheduled handlers are
    /// idempotent like every other.
    public func every<Payload>(_ definition: JobDefinition<Payload>, interval: Duration, payload: Payload) throws {
        let text = String(decoding: try EntativaJSON.encoder().encode(payload), as: UTF8.self)
        schedules.withLock { $0[definition.kind] = (interval, text, definition.maxAttempts, definition.lane.name) }
    }

    /// Queues the next run of each scheduled job (or of `kind` only) that has none waiting.
    public func ensureScheduled(kind: String? = nil) async throws {
        for (scheduled, schedule) in schedules.withLock({ $0 }) where kind == nil || kind == scheduled {
            let now = clock.nowMillis()
            loopStatements.add(1, ordering: .relaxed)
            try await database.sql.raw("""
                INSERT INTO jobs (id, kind, lane, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
                SELECT \(bind: ids.next()), \(bind: scheduled), \(bind: schedule.lane), \(bind: schedule.payload), 'queued', 0,
                    \(bind: schedule.maxAttempts), \(bind: now + schedule.interval.milliseconds), \(bind: now), \(bind: now)
                WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = \(bind: scheduled) AND state IN ('queued', 'running'))
                """).run()
        }
    }

    func isScheduled(_ kind: String) -> Bool { schedules.withLock { $0[kind] != nil } }

    /// Claims up to `limit` due jobs of any lane and runs them one after another; returns how many ran.
    @discardableResult
    public func runDueJobs(limit: Int = 16) async throws -> Int {
        let units = try await claim(lane: nil, limit: limit)
        for unit in units { await run(unit) }
        return units.reduce(0) { $0 + $1.count }
    }

    /// Runs due jobs until none is left; for tests and the `admin jobs run` command.
    public func drain() async throws {
        while try await runDueJobs() > 0 {}
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
            WHERE id = \(bind: id) AND state = 'dead' RETURNING lane
            """).all()
        try await wake(lanes: Set(try rows.map { try $0.decode(column: "lane", as: String.self) }), on: database.sql)
        return !rows.isEmpty
    }

    public func retryAllDead() async throws -> Int {
        let now = clock.nowMillis()
        let rows = try await database.sql.raw("""
            UPDATE jobs SET state = 'queued', attempts = 0, run_at = \(bind: now), updated_at = \(bind: now)
            WHERE state = 'dead' RETURNING lane
            """).all()
        try await wake(lanes: Set(try rows.map { try $0.decode(column: "lane", as: String.self) }), on: database.sql)
        return rows.count
    }

    /// Forgets finished jobs older than `age`; dead ones stay until an operator acts.
    public func purgeDone(olderThan age: Duration) async throws {
        let cutoff = clock.nowMillis() - age.milliseconds
        try await database.sql.raw("DELETE FROM jobs WHERE state = 'done' AND updated_at < \(bind: cutoff)").run()
    }
}
