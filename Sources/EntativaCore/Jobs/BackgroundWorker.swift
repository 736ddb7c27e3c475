import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The job loops of one process: one per lane, each running at most its slot count of jobs at a
/// time; one that moves outbox events into consumer jobs, so dispatch never waits behind a lane;
/// and one that keeps scheduled jobs queued. Several workers, in one or many processes, may share
/// a database. Idle loops sleep until woken (docs/jobs.md, "Wake-ups").
public struct BackgroundWorker: Service {
    let events: EventBus
    let jobs: JobQueue
    /// Slots per lane name; the `default` lane's is `ENTATIVA_JOB_WORKERS`, a lane named nowhere
    /// gets its `defaultSlots`, and 0 leaves a lane to other processes.
    let slots: [String: Int]
    /// PostgreSQL only: the URL of the connection that LISTENs for other instances' wake-ups.
    let listenURL: String?
    /// How long an idle loop sleeps without a wake-up, to find jobs that became due by time alone
    /// or whose wake-up was lost.
    let fallbackPoll: Duration
    /// How long running jobs may finish after a graceful shutdown begins; then they are cancelled
    /// and handed back.
    let shutdownGrace: Duration
    let logger: Logger

    public init(
        events: EventBus, jobs: JobQueue, workers: Int, laneSlots: [String: Int] = [:], listenURL: String? = nil,
        fallbackPoll: Duration = .seconds(60), shutdownGrace: Duration = .seconds(10), logger: Logger
    ) {
        self.events = events
        self.jobs = jobs
        self.slots = laneSlots.merging([JobLane.default.name: workers]) { _, workers in workers }
        self.listenURL = listenURL
        self.fallbackPoll = fallbackPoll
        self.shutdownGrace = shutdownGrace
        self.logger = logger
    }

    public func run() async throws {
        let stopping = StopFlag()
        let lanes = jobs.registeredLanes.map { ($0.name, slots[$0.name] ?? $0.defaultSlots) }.filter { $0.1 > 0 }
        logger.info("job worker started", metadata: ["lanes": "\(lanes.map { "\($0.0)=\($0.1)" }.joined(separator: ","))"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskGroup(of: Void.self) { loops in
                    for (lane, size) in lanes {
                        loops.addTask { await runLane(lane, slots: size, stopping: stopping) }
                    }
                    loops.addTask { await dispatchOutbox(stopping: stopping) }
                }
            }
            group.addTask { await keepScheduled() }
            if let listenURL {
                group.addTask { await JobWakeListener(wakeUps: jobs.wakeUps, url: listenURL, logger: logger).run() }
            }
            group.addTask {
                // Ends the worker: at once when cancelled; on graceful shutdown once running jobs
                // finish (the loops above return) or the grace period is over.
                try? await gracefulShutdown()
                stopping.stop()
                jobs.wakeUps.wakeAll()
                try? await Task.sleep(for: shutdownGrace)
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Claims only as many jobs as the lane has free slots, runs each in its own task, and sleeps
    /// when nothing is due: until woken, until a slot frees, or until the next job falls due.
    private func runLane(_ lane: String, slots: Int, stopping: StopFlag) async {
        let signal = jobs.wakeUps.signal(for: lane)
        let running = RunningCount()
        let isStopping: @Sendable () -> Bool = { stopping.isStopping }
        await withDiscardingTaskGroup { group in
            while !isStopping() {
                var sleep = fallbackPoll
                let free = slots - running.value
                if free > 0 {
                    do {
                        let units = try await jobs.claim(lane: lane, limit: free)
                        for unit in units {
                            running.change(by: 1)
                            group.addTask {
                                await jobs.run(unit, isStopping: isStopping)
                                running.change(by: -1)
                                signal.signal()
                            }
                        }
                        if units.count == free { continue }
                        if let due = try await jobs.nextDue(lane: lane) {
                            sleep = min(sleep, .milliseconds(max(10, due - jobs.clock.nowMillis())))
                        }
                    } catch {
                        if Task.isCancelled { break }
                        logger.error("job lane failed to claim", metadata: ["lane": "\(lane)", "error": "\(error)"])
                        sleep = .seconds(1)
                    }
                }
                await signal.wait(upTo: sleep)
                if Task.isCancelled { break }
            }
        }
    }

    private func dispatchOutbox(stopping: StopFlag) async {
        let signal = jobs.wakeUps.signal(for: JobWakeUps.outbox)
        while !stopping.isStopping, !Task.isCancelled {
            do {
                if try await events.dispatchPending() == EventBus.dispatchBatch { continue }
                await signal.wait(upTo: fallbackPoll)
            } catch {
                logger.error("outbox dispatch failed", metadata: ["error": "\(error)"])
                await signal.wait(upTo: .seconds(1))
            }
        }
    }

    /// Queues scheduled jobs at start and then rarely: a finished scheduled job queues its own
    /// next run, so this only repairs what a crash or an operator left.
    private func keepScheduled() async {
        while !Task.isCancelled {
            do {
                try await jobs.ensureScheduled()
                jobs.notify()
            } catch {
                logger.error("could not queue scheduled jobs", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: max(fallbackPoll, .seconds(300)))
        }
    }
}

/// Set once when the worker begins to stop; read by every loop and running job.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isStopping: Bool { flag.load(ordering: .relaxed) }
    func stop() { flag.store(true, ordering: .relaxed) }
}

/// Jobs a lane is running; changed by the jobs' tasks, read by the lane loop.
final class RunningCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func change(by delta: Int) { count.add(delta, ordering: .relaxed) }
}
