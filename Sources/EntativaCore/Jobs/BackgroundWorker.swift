import Foundation
import Logging
import ServiceLifecycle

/// The loop that moves outbox events into jobs and runs due jobs, until the server shuts down.
/// Several of these, in one or many processes, may share a database.
public struct BackgroundWorker: Service {
    let events: EventBus
    let jobs: JobQueue
    let pollInterval: Duration
    let logger: Logger

    public init(events: EventBus, jobs: JobQueue, pollInterval: Duration, logger: Logger) {
        self.events = events
        self.jobs = jobs
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastHousekeeping = ContinuousClock.now
            var lastScheduling = ContinuousClock.now - .seconds(60)
            while !Task.isCancelled {
                do {
                    if ContinuousClock.now - lastScheduling > .seconds(30) {
                        lastScheduling = .now
                        try await jobs.ensureScheduled()
                    }
                    try await events.dispatchPending()
                    while try await jobs.runDueJobs() > 0, !Task.isCancelled {}
                    if ContinuousClock.now - lastHousekeeping > .seconds(3600) {
                        lastHousekeeping = .now
                        try await jobs.purgeDone(olderThan: .seconds(7 * 24 * 3600))
                    }
                } catch {
                    logger.error("background worker tick failed", metadata: ["error": "\(error)"])
                }
                await waitForWork()
            }
        }
    }

    /// Sleeps until the poll interval passes or someone enqueues work in this process.
    private func waitForWork() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: pollInterval) }
            group.addTask {
                var iterator = jobs.wakeUps.makeAsyncIterator()
                _ = await iterator.next()
            }
            await group.next()
            group.cancelAll()
        }
    }
}
