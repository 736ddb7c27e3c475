import EntativaCore
import EntativaModels
import Graph
import Posts
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Identity
import Logging
import Media
import NIOCore
import Notifications
import ServiceLifecycle
import Messaging
import Stories
import Search
import Takes
import Feed

public typealias EntativaApplication = Application<RouterResponder<AppRequestContext>>

/// A built server: the Hummingbird application and the parts tests and the CLI reach into.
public struct EntativaRuntime: Sendable {
    public let application: EntativaApplication
    public let kernel: Kernel
    public let identity: IdentityModule
    public let media: MediaModule
    public let graph: GraphModule
    public let posts: PostsModule
    public let notifications: NotificationsModule
    public let stories: StoriesModule
    public let takes: TakesModule
    public let search: SearchModule
    public let feed: FeedModule
    public let messaging: MessagingModule
}

public enum EntativaVersion {
    public static let current = "0.1.0"
}

/// The composition root, shared by `entativa serve` and the tests: opens the database, runs
/// migrations, builds every domain module and wires routes and middleware.
public func buildApplication(
    config: EntativaConfig, clock: any WallClock = SystemWallClock(), mailSender: (any MailSender)? = nil,
    blobStore: (any BlobStore)? = nil, logger: Logger
) async throws -> EntativaRuntime {
    let database = try await AppDatabase.open(
        url: config.databaseURL, sqlitePath: config.sqlitePath, logger: logger, connectionsPerLoop: config.databaseConnectionsPerLoop)
    do {
        return try await assemble(
            config: config, database: database, clock: clock, mailSender: mailSender, blobStore: blobStore, logger: logger)
    } catch {
        await database.shutdown()
        throw error
    }
}

private func assemble(
    config: EntativaConfig, database: AppDatabase, clock: any WallClock, mailSender: (any MailSender)?,
    blobStore: (any BlobStore)?, logger: Logger
) async throws -> EntativaRuntime {
    let document = OpenAPIDocument(title: "\(config.instanceName) API", version: EntativaVersion.current)
    let mail: any MailSender = try mailSender ?? config.smtp.map { try SMTPMailRelay(settings: $0, logger: logger) } ?? LoggingMailSender(logger: logger)
    let kernel = Kernel(config: config.server, database: database, clock: clock, mailSender: mail, document: document, logger: logger)
    let moduleTypes: [any DomainModule.Type] = [
        IdentityModule.self, MediaModule.self, GraphModule.self, PostsModule.self, NotificationsModule.self, StoriesModule.self,
        FeedModule.self, MessagingModule.self, TakesModule.self, SearchModule.self,
    ]
    for module in moduleTypes { kernel.migrations.add(module.migrations) }
    if config.autoMigrate {
        try await database.migrate(kernel.migrations)
    } else if let pending = try await database.pendingMigrations(kernel.migrations).first {
        throw AppError.unavailable("Migration \(pending) has not run; run `entativa migrate` first.")
    }
    let identity = try await IdentityModule(kernel: kernel, settings: config.identity)
    let media = try await MediaModule(
        kernel: kernel, settings: config.media, owners: IdentityMediaOwners(standings: AccountStandings(env: identity.env)), blobs: blobStore)
    let graph = try GraphModule(kernel: kernel, settings: config.graph, identity: identity)
    let posts = try PostsModule(kernel: kernel, identity: identity, graph: graph, media: media)
    let notifications = try await NotificationsModule(kernel: kernel, settings: config.notifications, identity: identity, graph: graph)
    let feed = try FeedModule(kernel: kernel, settings: config.feed, graph: graph, posts: posts)
    let messaging = try MessagingModule(kernel: kernel, settings: config.messaging, identity: identity, graph: graph)
    let stories = try StoriesModule(
        kernel: kernel, settings: config.stories, identity: identity, graph: graph, media: media, feed: feed, messaging: messaging)
    let takes = try TakesModule(kernel: kernel, settings: config.takes, identity: identity, graph: graph, media: media, posts: posts, feed: feed)
    let search = try SearchModule(kernel: kernel, settings: config.search, identity: identity, graph: graph, posts: posts, takes: takes)
    // Identity renders accounts' counts but sits below the domains that keep them.
    identity.accountStats.install([graph.accountStats, posts.accountStats])

    let router = Router(context: AppRequestContext.self)
    // Metrics sit outside the problem renderer so they count the statuses clients really got.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(document: document))
    router.add(middleware: QueryTextMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: AuthenticationMiddleware(verifier: identity.verifier, trustProxy: config.trustProxy))
    let requestLimiter = RequestRateLimiter(burst: config.limits.requestBurst, refillPerSecond: config.limits.requestsPerSecond)
    router.add(middleware: RequestRateLimitMiddleware(limiter: requestLimiter))

    let anyone = APIRoutes(group: router.group(), document: document, access: .anyone, idempotency: kernel.idempotency)
    let signedIn = APIRoutes(
        group: router.group(context: AuthenticatedContext.self), document: document, access: .signedIn, idempotency: kernel.idempotency)
    let modules: [any DomainModule] = [identity, media, graph, posts, notifications, stories, takes, search, feed, messaging]
    for module in modules { module.registerRoutes(ModuleRoutes(router: router, anyone: anyone, signedIn: signedIn)) }
    StreamingRoutes(verifier: identity.verifier).register(on: anyone)
    InstanceRoutes(config: config).register(on: anyone)
    OperationalRoutes(
        ready: { await readiness(database: database, migrations: kernel.migrations, realtime: kernel.realtime) }, metrics: MetricsRegistry.shared,
        document: document
    ).register(on: anyone)

    var services: [any Service] = [database, messaging.presence]
    if let url = config.databaseURL, database.engine == .postgres {
        services.append(PostgresRealtimeListener(hub: kernel.realtime, url: url, logger: logger))
        services.append(PostgresCacheListener(database: database, url: url, logger: logger))
    }
    if config.jobWorkers > 0 {
        services.append(
            BackgroundWorker(
                events: kernel.events, jobs: kernel.jobs, workers: config.jobWorkers, laneSlots: config.jobLanes,
                listenURL: database.engine == .postgres ? config.databaseURL : nil, logger: logger))
    }
    let refusals = UpgradeRefusals()
    let gateway = StreamingGateway(
        hub: kernel.realtime, verifier: identity.verifier, inbound: kernel.streamingInbound, limiter: requestLimiter, refusals: refusals,
        sessionCheckInterval: config.limits.realtimeSessionCheck)
    let application = Application(
        router: router,
        server: .http1WebSocketUpgrade(
            configuration: .init(
                http1: .init(additionalChannelHandlers: [refusals.handler()]),
                ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)), closeTimeout: .seconds(10)))
        ) { head, channel, _ in await gateway.shouldUpgrade(head, channel: channel) },
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Entativa"),
        services: services,
        onServerRunning: { channel in
            logger.notice(
                "Entativa is listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")", "platform": "\(config.platform.rawValue)"])
        },
        logger: logger)
    return EntativaRuntime(application: application, kernel: kernel, identity: identity, media: media, graph: graph, posts: posts, notifications: notifications,
        stories: stories, takes: takes, search: search, feed: feed, messaging: messaging)
}

private func readiness(database: AppDatabase, migrations: MigrationRegistry, realtime: RealtimeHub) async -> (ok: Bool, detail: String) {
    do {
        guard realtime.isListening else { return (false, "realtime listener not subscribed yet") }
        let pending = try await database.pendingMigrations(migrations)
        return pending.isEmpty ? (true, "database \(database.engine.rawValue) ready") : (false, "\(pending.count) migrations pending")
    } catch {
        return (false, "database unreachable")
    }
}
