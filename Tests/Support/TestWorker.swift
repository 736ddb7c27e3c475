import EntativaCore
import Foundation
import Logging

/// A real background worker on a test app's database, for tests of lanes, wake-ups and
/// shutdown; `stop()` cancels it and waits until it has handed its jobs back.
public struct TestWorker: Sendable {
    let task: Task<Void, any Error>

    public static func start(
        _ app: TestApp, workers: Int, lanes: [String: Int] = [:], fallbackPoll: Duration = .seconds(60)
    ) -> TestWorker {
        var logger = Logger(label: "test-worker")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let worker = BackgroundWorker(
            events: app.kernel.events, jobs: app.kernel.jobs, workers: workers, laneSlots: lanes,
            listenURL: app.kernel.database.engine == .postgres ? app.kernel.config.databaseURL : nil,
            fallbackPoll: fallbackPoll, shutdownGrace: .milliseconds(100), logger: logger)
        return TestWorker(task: Task { try await worker.run() })
    }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Waits until `condition` holds, failing after `timeout`.
public func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
