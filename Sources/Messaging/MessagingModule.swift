import EntativaCore
import EntativaModels
import Identity

/// End-to-end encrypted messaging (docs/messaging.md). So far: devices, their approval, the
/// prekeys senders fetch to start Signal-protocol sessions, and the relay of ciphertext
/// envelopes. The server holds public keys and ciphertext only, never a private key or a
/// plaintext.
public struct MessagingModule: DomainModule {
    public let env: MessagingEnvironment

    public static let migrations: [any SQLMigration] = [CreateDeviceTables(), CreateEnvelopeTable()]

    public init(kernel: Kernel, settings: MessagingSettings, identity: IdentityModule) throws {
        env = MessagingEnvironment(kernel: kernel, settings: settings, identity: identity.env)
        MessagingErasure(env: env).subscribe()
        try EnvelopeExpiry(env: env).register()
        Signaling(env: env).register()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        DeviceRoutes.registerSchemas(in: routes.document)
        DeviceRoutes(env: env).register(signedIn: routes.signedIn)
        MessageRoutes.registerSchemas(in: routes.document)
        MessageRoutes(env: env).register(signedIn: routes.signedIn)
        CallRoutes.registerSchemas(in: routes.document)
        CallRoutes(env: env).register(signedIn: routes.signedIn)
    }
}
