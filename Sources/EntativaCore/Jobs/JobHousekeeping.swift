import Foundation
import Logging

/// What a probe job carries: a label to find it in the logs and how long it pretends to work.
public struct JobProbe: Codable, Sendable {
    public var label: String
    public var millis: Int

    public init(label: String, millis: Int) {
        self.label = label
        self.millis = millis
    }
}

extension JobQueue {
    struct Tick: Codable, Sendable {}

    static let purgeDoneJobs = JobDefinition<Tick>("jobs.purge_done", maxAttempts: 3)
    /// A job that does nothing but wait and log, so an operator (or the peer tests) can watch which
    /// worker runs what: `entativa admin jobs probe`.
    public static let probe = JobDefinition<JobProbe>("jobs.probe", maxAttempts: 5)
    /// How long finished jobs stay for the record.
    static let doneRetention: Duration = .seconds(7 * 24 * 3600)

    func registerHousekeeping() {
        try? every(Self.purgeDoneJobs, interval: .seconds(3600), payload: Tick())
        register(Self.purgeDoneJobs) { [weak self] _ in try await self?.purgeDone(olderThan: Self.doneRetention) }
        let logger = logger
        register(Self.probe) { probe, attempt in
            logger.notice("probe job started", metadata: ["probe": "\(probe.label)", "attempt": "\(attempt.number)"])
            try await Task.sleep(for: .milliseconds(probe.millis))
            logger.notice("probe job finished", metadata: ["probe": "\(probe.label)", "attempt": "\(attempt.number)"])
        }
    }

    /// Queues `count` probe jobs labelled `prefix-0` … in one transaction; returns their labels.
    public func enqueueProbes(count: Int, prefix: String, millis: Int) async throws -> [String] {
        let labels = (0..<count).map { "\(prefix)-\($0)" }
        try await database.transaction { db in
            try await self.enqueue(Self.probe, many: labels.map { JobProbe(label: $0, millis: millis) }, on: db)
        }
        return labels
    }
}
