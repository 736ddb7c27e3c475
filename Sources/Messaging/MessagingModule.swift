import EntativaCore
import EntativaModels
import Identity

/// End-to-end encrypted messaging (docs/messaging.md). So far: devices, their approval, and
/// the prekeys senders fetch to start Signal-protocol sessions. The server holds public keys
/// only and never sees a private key or a plaintext.
public struct MessagingModule: DomainModule {
    public let env: MessagingEnvironment

    public static let migrations: [any SQLMigration] = [CreateDeviceTables()]

    public init(kernel: Kernel, settings: MessagingSettings, identity: IdentityModule) throws {
        env = MessagingEnvironment(kernel: kernel, settings: settings, identity: identity.env)
        MessagingErasure(env: env).subscribe()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        DeviceRoutes.registerSchemas(in: routes.document)
        DeviceRoutes(env: env).register(signedIn: routes.signedIn)
    }
}
