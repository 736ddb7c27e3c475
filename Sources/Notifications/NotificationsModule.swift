import EntativaCore
import EntativaModels
import Graph
import Identity

/// Notifications: grouping, preferences, and delivery in-app, over the realtime socket, by push
/// and by email, of the types the producing modules register in the kernel's catalog. It sits
/// below those modules: they reach it through `kernel.notifier`, which it fills.
public struct NotificationsModule: DomainModule {
    public let env: NotificationsEnvironment
    public let notifier: Notifier
    let vapidPublicKey: String

    public static let migrations: [any SQLMigration] = [
        CreateNotificationTables(), IndexNotificationGroupActors(), AddNotificationPostReference(),
    ]

    public init(kernel: Kernel, settings: NotificationSettings, identity: IdentityModule, graph: GraphModule) async throws {
        env = NotificationsEnvironment(kernel: kernel, settings: settings, identity: identity, graph: graph)
        notifier = Notifier(env: env)
        kernel.notifier.install(notifier)
        let vapid = try await VAPIDKey.load(database: kernel.database, clock: kernel.clock)
        vapidPublicKey = vapid.publicKeyBase64URL
        let channels = try PushChannels.configured(settings, vapid: vapid, clock: kernel.clock, logger: kernel.logger)
        NotificationErasure(env: env).subscribe()
        Deliveries(env: env, channels: channels).register()
        try EmailDigests(env: env).register()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        let (anyone, signedIn) = (routes.anyone, routes.signedIn)
        NotificationSchemas.register(in: env.kernel.document, catalog: env.catalog)
        NotificationRoutes(env: env).register(signedIn: signedIn)
        PushRoutes(env: env, vapidPublicKey: vapidPublicKey).register(anyone: anyone, signedIn: signedIn)
    }
}
