import EntativaCore
import EntativaModels
import Graph
import Identity

/// End-to-end encrypted messaging (docs/messaging.md). So far: devices, their approval, the
/// prekeys senders fetch to start Signal-protocol sessions, and the relay of ciphertext
/// envelopes. The server holds public keys and ciphertext only, never a private key or a
/// plaintext.
public struct MessagingModule: DomainModule {
    public let env: MessagingEnvironment
    /// Runs beside the server: presence rows and their heartbeat.
    public let presence: PresenceService

    public static let migrations: [any SQLMigration] = [
        CreateDeviceTables(), CreateEnvelopeTable(), CreateConversationTables(), CreatePresenceTables(), CreatePayloadTable(), AddEnvelopeStory(),
    ]

    public init(kernel: Kernel, settings: MessagingSettings, identity: IdentityModule, graph: GraphModule) throws {
        env = MessagingEnvironment(kernel: kernel, settings: settings, identity: identity.env, graph: graph.env)
        MessagingErasure(env: env).subscribe()
        try EnvelopeExpiry(env: env).register()
        Signaling(env: env).register()
        presence = PresenceService(env: env)
        try MessagingNotices(env: env).register()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        DeviceRoutes.registerSchemas(in: routes.document)
        DeviceRoutes(env: env).register(signedIn: routes.signedIn)
        MessageRoutes.registerSchemas(in: routes.document)
        MessageRoutes(env: env).register(signedIn: routes.signedIn)
        ConversationRoutes.registerSchemas(in: routes.document)
        ConversationRoutes(env: env).register(signedIn: routes.signedIn)
        PresenceRoutes.registerSchemas(in: routes.document)
        PresenceRoutes(env: env).register(signedIn: routes.signedIn)
        CallRoutes.registerSchemas(in: routes.document)
        CallRoutes(env: env).register(signedIn: routes.signedIn)
    }
}
