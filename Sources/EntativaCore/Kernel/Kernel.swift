import Foundation
import Logging
import Metrics
import Prometheus

/// The shared services every domain module is built from.
public struct Kernel: Sendable {
    public let config: ServerConfig
    public let database: AppDatabase
    public let clock: any WallClock
    public let ids: IDGenerator
    public let jobs: JobQueue
    public let events: EventBus
    public let mailer: Mailer
    public let attempts: AttemptLimiter
    public let migrations: MigrationRegistry
    public let realtime: RealtimeHub
    /// Stored answers of operations that honour `Idempotency-Key`.
    public let idempotency: IdempotencyKeys
    /// What clients may send over the realtime socket, filled by the domains.
    public let streamingInbound = InboundRegistry()
    public let document: OpenAPIDocument
    public let logger: Logger
    /// Blocks between accounts, answered by the graph domain once it is built.
    public let blocks = BlockListSlot()
    /// Notification types and target rules, registered by the modules that produce them.
    public let notificationCatalog = NotificationCatalog()
    /// Where producing modules send notices, filled by the notifications domain once it is built.
    public let notifier = NotifierSlot()

    public init(
        config: ServerConfig, database: AppDatabase, clock: any WallClock, mailSender: any MailSender,
        document: OpenAPIDocument, logger: Logger
    ) {
        self.config = config
        self.database = database
        self.clock = clock
        self.logger = logger
        self.document = document
        ids = IDGenerator(instance: config.instanceNumber)
        jobs = JobQueue(database: database, ids: ids, clock: clock, logger: logger, lease: config.jobLease)
        events = EventBus(database: database, jobs: jobs, ids: ids, clock: clock)
        mailer = Mailer(jobs: jobs, sender: mailSender)
        attempts = AttemptLimiter(database: database, clock: clock)
        migrations = MigrationRegistry()
        realtime = RealtimeHub(
            database: database, ids: ids, clock: clock, logger: logger, resumeWindow: config.limits.realtimeResumeWindow,
            sendQueueCapacity: config.limits.realtimeSendQueue, socketsPerAccount: config.limits.socketsPerAccount)
        idempotency = IdempotencyKeys(database: database, clock: clock, lifetime: config.limits.idempotencyKeyLifetime)
        idempotency.registerJobs(jobs)
        migrations.add([CreateKernelTables(), CreateServerSecrets(), CreateRealtimeEvents(), AddRateLimitExpiry(), AddJobLanes()])
        try? jobs.every(Self.purgeRealtimeLog, interval: .seconds(60), payload: Empty())
        let realtime = realtime
        jobs.register(Self.purgeRealtimeLog) { _ in try await realtime.purge() }
        // One row per login string ever tried would otherwise pile up for good.
        try? jobs.every(Self.purgeRateLimits, interval: .seconds(15 * 60), payload: Empty())
        let attempts = attempts
        jobs.register(Self.purgeRateLimits) { _ in try await attempts.purge() }
        let traces = AccountTraces(database: database)
        events.subscribe(AccountDeleted.self, consumer: "core.account_deleted") { event, _ in try await traces.forget(event.accountId) }
    }
}

extension Kernel {
    struct Empty: Codable, Sendable {}
    static let purgeRealtimeLog = JobDefinition<Empty>("realtime.purge", maxAttempts: 3)
    static let purgeRateLimits = JobDefinition<Empty>("rate_limits.purge", maxAttempts: 3)
}

/// The process-wide Prometheus registry. swift-metrics can be bootstrapped once per process,
/// so every application built in one process (tests build many) shares it.
public enum MetricsRegistry {
    public static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
