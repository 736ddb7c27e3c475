import ArgumentParser
import EntativaCore
import EntativaServer
import Foundation
import Synchronization

/// No-op jobs per second through the queue: claim, run, record, with every lane and wake-up of a
/// real worker, on one or several instances sharing a database.
struct JobBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "No-op jobs per second through the job queue, on one or more instances sharing a database.")

    @Option(help: "No-op jobs to run") var count = 20_000
    @Option(help: "Instances (each with its own connection pool and worker) sharing the database; 2+ needs PostgreSQL")
    var instances = 1
    @Option(help: "Slots of the default lane per instance") var workers = 4
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; SQLite in a temporary directory by default") var databaseURL: String?

    struct Noop: Codable, Sendable { var index: Int }
    static let noop = JobDefinition<Noop>("bench.noop", maxAttempts: 3)

    func validate() throws {
        guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be in 1...1000000") }
        guard (1...16).contains(instances) else { throw ValidationError("--instances must be in 1...16") }
        guard instances == 1 || databaseURL != nil else { throw ValidationError("several instances share a database only on PostgreSQL") }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be in 1...256") }
    }

    func run() async throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var config = EntativaConfig.bench(in: work, databaseURL: databaseURL)
        config.jobWorkers = 0
        let logger = LogSetup.bootstrap(config)
        let runs = Mutex([Int](repeating: 0, count: count))
        let finished = Atomic<Int>(0)
        var runtimes: [EntativaRuntime] = []
        for instance in 0..<instances {
            config.instanceNumber = instance
            let runtime = try await buildApplication(config: config, logger: logger)
            runtime.kernel.jobs.register(Self.noop) { job in
                runs.withLock { $0[job.index] += 1 }
                finished.add(1, ordering: .relaxed)
            }
            runtimes.append(runtime)
        }
        let queue = runtimes[0].kernel.jobs
        let enqueueStart = ContinuousClock.now
        try await runtimes[0].kernel.database.transaction { db in
            try await queue.enqueue(Self.noop, many: (0..<count).map { Noop(index: $0) }, on: db)
        }
        let enqueued = ContinuousClock.now - enqueueStart

        let start = ContinuousClock.now
        let workersRunning = runtimes.map { runtime in
            let worker = BackgroundWorker(
                events: runtime.kernel.events, jobs: runtime.kernel.jobs, workers: workers,
                listenURL: runtime.kernel.database.engine == .postgres ? databaseURL : nil, logger: logger)
            return Task { try await worker.run() }
        }
        while finished.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(5)) }
        let elapsed = ContinuousClock.now - start
        for worker in workersRunning { worker.cancel() }
        for worker in workersRunning { _ = try? await worker.value }

        let twice = runs.withLock { $0.filter { $0 > 1 }.count }
        try await queue.purgeDone(olderThan: .zero)
        let engine = runtimes[0].kernel.database.engine.rawValue
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("jobs on \(engine), \(instances) instance(s) × \(workers) slots, \(cores) cores: " + String(
            format: "%d no-op jobs in %.2f s = %.0f jobs/s (enqueue %.2f s); ran twice: %d",
            count, elapsed.timeInterval, Double(count) / elapsed.timeInterval, enqueued.timeInterval, twice))
        for runtime in runtimes { await runtime.kernel.database.shutdown() }
    }
}
