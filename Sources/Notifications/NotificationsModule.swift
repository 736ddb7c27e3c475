import EntativaCore
import EntativaModels
import Graph
import Identity
import Posts

/// Notifications: the registry of types, grouping, preferences, and delivery in-app, over the
/// realtime socket, by push and by email.
public struct NotificationsModule: Sendable {
    public let env: NotificationsEnvironment
    public let notifier: Notifier
    let vapidPublicKey: String

    public static let migrations: [any SQLMigration] = [
        CreateNotificationTables(), IndexNotificationGroupActors(), AddNotificationPostReference(),
    ]

    public init(kernel: Kernel, settings: NotificationSettings, identity: IdentityModule, graph: GraphModule, posts: PostsModule) async throws {
        env = NotificationsEnvironment(
            kernel: kernel, settings: settings, registry: NotificationRegistry(), identity: identity, graph: graph, posts: posts)
        notifier = Notifier(env: env)
        let vapid = try await VAPIDKey.load(database: kernel.database, clock: kernel.clock)
        vapidPublicKey = vapid.publicKeyBase64URL
        let channels = try PushChannels.configured(settings, vapid: vapid, clock: kernel.clock, logger: kernel.logger)
        EventConsumers(env: env).subscribe()
        Deliveries(env: env, channels: channels).register()
        try EmailDigests(env: env).register()
    }

    public func registerRoutes(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        NotificationSchemas.register(in: env.kernel.document, registry: env.registry)
        NotificationRoutes(env: env).register(signedIn: signedIn)
        PushRoutes(env: env, vapidPublicKey: vapidPublicKey).register(anyone: anyone, signedIn: signedIn)
    }
}
