import EntativaCore
import EntativaModels

/// Counts every trend with joins in the last two days (and those that had some at the last
/// count, so they fall back to zero) over rolling windows ending now, and stores the counts.
/// Counting twice at one instant writes the same rows: the job is idempotent.
public struct TrendDetection: Sendable {
    let env: TakesEnvironment

    public init(env: TakesEnvironment) { self.env = env }

    struct Run: Codable, Sendable {}
    static let job = JobDefinition<Run>("takes.detect_trends", maxAttempts: 5)

    func registerJobs() throws {
        let detection = self
        env.kernel.jobs.register(Self.job) { _ in _ = try await detection.run() }
        try env.kernel.jobs.every(Self.job, interval: env.settings.trendInterval, payload: Run())
    }

    /// Answers how many trends it counted.
    @discardableResult
    public func run() async throws -> Int {
        let now = env.now
        let database = env.database
        let trends = try await TrendStore.active(since: now - 2 * 86_400_000, on: database.sql)
        for trend in trends {
            try await database.transaction { db in try await TrendStore.save(try await TrendStore.count(trend, now: now, on: db), on: db) }
        }
        TrendBoosts(env: env).forget()
        return trends.count
    }
}
