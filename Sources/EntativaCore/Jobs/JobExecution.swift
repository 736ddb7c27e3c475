import Foundation
import Logging

extension JobQueue {
    enum Outcome: Sendable {
        case succeeded
        case failed(String)
        /// The lease lapsed and another claim took the jobs over; they are no longer ours to record.
        case lost
    }

    /// Runs one claimed unit to its recorded outcome. `isStopping` tells a job cut short by
    /// shutdown (handed back, no attempt charged) from one that failed.
    func run(_ unit: [ClaimedJob], isStopping: @escaping @Sendable () -> Bool = { false }) async {
        guard let first = unit.first else { return }
        var logger = logger
        logger[metadataKey: "job_kind"] = "\(first.record.kind)"
        logger[metadataKey: "job_id"] = "\(unit.map { String($0.id) }.joined(separator: ","))"
        guard let registration = registration(for: first.record.kind) else {
            for job in unit { await recordFailure(job, error: "no handler for \(job.record.kind) in this process", logger: logger) }
            return
        }
        switch await execute(unit, registration: registration) {
        case .succeeded:
            do {
                let lost = try await markDone(unit)
                if !lost.isEmpty { logger.notice("job finished after its claim was taken over; result not recorded", metadata: ["lost": "\(lost)"]) }
                if isScheduled(first.record.kind) { try await ensureScheduled(kind: first.record.kind) }
            } catch {
                // The lease runs out and the job is claimed again: the handler is idempotent.
                logger.error("could not record job outcome", metadata: ["error": "\(error)"])
            }
        case .lost:
            logger.warning("job's claim was taken over while it ran; stopped it and recorded nothing")
        case .failed(let error):
            // A cancelled task is a worker stopping, even before its stop flag is seen.
            if isStopping() || Task.isCancelled {
                do {
                    try await handBack(unit)
                    logger.info("job handed back at shutdown")
                } catch {
                    logger.error("could not hand job back", metadata: ["error": "\(error)"])
                }
            } else if unit.count > 1 {
                // One bad payload must not hold back the rest: each job runs again alone.
                logger.notice("batch failed; running its jobs one by one", metadata: ["error": "\(error)"])
                for job in unit { await run([job], isStopping: isStopping) }
            } else {
                await recordFailure(first, error: error, logger: logger)
            }
        }
    }

    /// Runs the handler while renewing the lease every third of it; stops the handler when a
    /// renewal finds the claim taken over.
    private func execute(_ unit: [ClaimedJob], registration: Registration) async -> Outcome {
        let records = unit.map(\.record)
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    try await registration.handle(records)
                    return .succeeded
                } catch {
                    return .failed(String(describing: error))
                }
            }
            group.addTask { await self.keepLease(unit) }
            var outcome = Outcome.lost
            for await result in group {
                guard let result else { continue }
                outcome = result
                break
            }
            group.cancelAll()
            return outcome
        }
    }

    /// Renews until cancelled (nil) or until the claim is gone (`.lost`).
    private func keepLease(_ unit: [ClaimedJob]) async -> Outcome? {
        while true {
            do {
                try await Task.sleep(for: lease / 3)
            } catch {
                return nil
            }
            do {
                if try await renew(unit) == 0 { return .lost }
            } catch {
                // A failed renewal is retried next time; the lease has two thirds left.
                logger.warning("could not renew job lease", metadata: ["error": "\(error)"])
            }
        }
    }

    private func recordFailure(_ job: ClaimedJob, error: String, logger: Logger) async {
        do {
            let (written, dead) = try await markFailed(job, error: error)
            if written {
                logger.warning("job failed", metadata: ["error": "\(error)", "dead": "\(dead)", "attempt": "\(job.record.attempts)"])
            } else {
                logger.notice("job failed after its claim was taken over; result not recorded", metadata: ["error": "\(error)"])
            }
        } catch {
            logger.error("could not record job outcome", metadata: ["error": "\(error)"])
        }
    }
}
