import Foundation
import Logging
import SQLKit

/// A claimed job: its row and the token its claim wrote. Every later write to the row names the
/// token, so a worker whose lease lapsed and was taken over cannot touch the new owner's job.
struct ClaimedJob: Sendable {
    var record: JobRecord
    var token: String

    var id: Int64 { record.id }
}

extension JobQueue {
    /// Claims up to `limit` units of due work in `lane` (every lane when nil). A unit is one job,
    /// or up to `maxBatch` jobs of a kind registered for batches; each unit takes one slot.
    /// Jobs whose lease lapsed are taken over, which counts as an attempt; one that lapsed on its
    /// last attempt is marked dead with the reason instead of running again.
    func claim(lane: String?, limit: Int) async throws -> [[ClaimedJob]] {
        guard limit > 0 else { return [] }
        let token = Self.newToken()
        let laneFilter: SQLQueryString = lane.map { "lane = \(bind: $0) AND " } ?? ""
        let claimed = try await claimRows(filter: laneFilter, limit: limit, token: token)
        var units: [[ClaimedJob]] = []
        var filling: [String: Int] = [:]
        for job in try await settleExhausted(claimed) {
            let maxBatch = registration(for: job.record.kind)?.maxBatch ?? 1
            if let index = filling[job.record.kind], units[index].count < maxBatch {
                units[index].append(job)
            } else {
                units.append([job])
                if maxBatch > 1 { filling[job.record.kind] = units.count - 1 }
            }
        }
        // A batch kind claims the rest of its batch now, beyond the slot count: they run together.
        for (kind, index) in filling {
            let room = (registration(for: kind)?.maxBatch ?? 1) - units[index].count
            guard room > 0 else { continue }
            let more = try await claimRows(filter: "\(laneFilter)kind = \(bind: kind) AND ", limit: room, token: token)
            units[index] += try await settleExhausted(more)
        }
        return units.filter { !$0.isEmpty }
    }

    private func claimRows(filter: SQLQueryString, limit: Int, token: String) async throws -> [ClaimedJob] {
        let now = clock.nowMillis()
        let leaseEnd = now + lease.milliseconds
        loopStatements.add(1, ordering: .relaxed)
        return try await database.sql.raw("""
            UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = \(bind: leaseEnd),
                claim_token = \(bind: token), updated_at = \(bind: now),
                last_error = CASE WHEN state = 'running' THEN \(bind: Self.takeoverNote) ELSE last_error END
            WHERE id IN (
                SELECT id FROM jobs
                WHERE \(filter)((state = 'queued' AND run_at <= \(bind: now)) OR (state = 'running' AND locked_until <= \(bind: now)))
                ORDER BY run_at, id LIMIT \(bind: limit)\(unsafeRaw: database.skipLocked))
            RETURNING *
            """).all().map { ClaimedJob(record: try $0.decode(JobRecord.self), token: token) }
            // RETURNING promises no order; run oldest first.
            .sorted { ($0.record.runAt, $0.id) < ($1.record.runAt, $1.id) }
    }

    static let takeoverNote = "lease lapsed (worker stopped or stalled); taken over by another claim"

    /// Marks dead the taken-over jobs that have no attempt left, and answers the others.
    private func settleExhausted(_ jobs: [ClaimedJob]) async throws -> [ClaimedJob] {
        var runnable: [ClaimedJob] = []
        for job in jobs {
            guard job.record.attempts > job.record.maxAttempts else {
                runnable.append(job)
                continue
            }
            let reason = "lease lapsed on attempt \(job.record.maxAttempts) of \(job.record.maxAttempts) (worker stopped or stalled)"
            let now = clock.nowMillis()
            try await database.sql.raw("""
                UPDATE jobs SET state = 'dead', attempts = max_attempts, locked_until = NULL, claim_token = NULL,
                    last_error = \(bind: reason), updated_at = \(bind: now)
                WHERE id = \(bind: job.id) AND claim_token = \(bind: job.token)
                """).run()
            logger.warning("job dead", metadata: ["job_id": "\(job.id)", "job_kind": "\(job.record.kind)", "reason": "\(reason)"])
        }
        return runnable
    }

    /// When the next job of `lane` is due: the earliest queued run time or running lease end.
    func nextDue(lane: String) async throws -> Int64? {
        loopStatements.add(1, ordering: .relaxed)
        return try await database.sql.raw("""
            SELECT MIN(CASE WHEN state = 'queued' THEN run_at ELSE locked_until END) AS due
            FROM jobs WHERE lane = \(bind: lane) AND state IN ('queued', 'running')
            """).first()?.decode(column: "due", as: Int64?.self)
    }

    /// Extends the lease of the unit's jobs that are still this claim's; answers how many are.
    func renew(_ unit: [ClaimedJob]) async throws -> Int {
        let until = clock.nowMillis() + lease.milliseconds
        return try await database.sql.raw("""
            UPDATE jobs SET locked_until = \(bind: until)
            WHERE claim_token = \(bind: unit[0].token) AND state = 'running' AND id IN \(SQLGroupExpression(unit.map { SQLBind($0.id) }))
            RETURNING id
            """).all().count
    }

    /// Records success; answers the IDs whose claim had been taken over (nothing was written for them).
    func markDone(_ unit: [ClaimedJob]) async throws -> [Int64] {
        let now = clock.nowMillis()
        // A finished job's payload has no further use, and it may name accounts (a deletion,
        // a mail's address): done rows are kept a week for the record, without it.
        let written = try await database.sql.raw("""
            UPDATE jobs SET state = 'done', payload = '', locked_until = NULL, claim_token = NULL, updated_at = \(bind: now)
            WHERE claim_token = \(bind: unit[0].token) AND state = 'running' AND id IN \(SQLGroupExpression(unit.map { SQLBind($0.id) }))
            RETURNING id
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
        return unit.map(\.id).filter { !written.contains($0) }
    }

    /// Records a failure: queued again after a back-off, or dead on the last attempt. False when the
    /// claim had been taken over.
    func markFailed(_ job: ClaimedJob, error: String) async throws -> (written: Bool, dead: Bool) {
        let now = clock.nowMillis()
        let dead = job.record.attempts >= job.record.maxAttempts
        let runAt = now + Self.backoff(attempt: job.record.attempts).milliseconds
        let rows = try await database.sql.raw("""
            UPDATE jobs SET state = \(bind: dead ? JobState.dead.rawValue : JobState.queued.rawValue),
                run_at = \(bind: runAt), locked_until = NULL, claim_token = NULL, last_error = \(bind: String(error.prefix(2000))),
                updated_at = \(bind: now)
            WHERE id = \(bind: job.id) AND claim_token = \(bind: job.token) AND state = 'running'
            RETURNING id
            """).all()
        return (!rows.isEmpty, dead)
    }

    /// Gives claimed jobs back at shutdown, without charging the attempt, for any worker to run now.
    func handBack(_ unit: [ClaimedJob]) async throws {
        let now = clock.nowMillis()
        try await database.sql.raw("""
            UPDATE jobs SET state = 'queued', attempts = attempts - 1, run_at = \(bind: now), locked_until = NULL,
                claim_token = NULL, updated_at = \(bind: now)
            WHERE claim_token = \(bind: unit[0].token) AND state = 'running' AND id IN \(SQLGroupExpression(unit.map { SQLBind($0.id) }))
            """).run()
        try await wake(lanes: Set(unit.map(\.record.lane)), on: database.sql)
    }

    /// 128 random bits from the system's secure generator.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }
}
