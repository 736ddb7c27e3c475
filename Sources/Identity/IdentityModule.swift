import EntativaCore
import EntativaModels

/// The identity domain: accounts, credentials, sessions and the security log. The composition
/// root builds it from the kernel and asks it for its migrations, routes and token verifier.
public struct IdentityModule: DomainModule {
    public let env: IdentityEnvironment

    public static let migrations: [any SQLMigration] = [CreateIdentityTables(), CreateMFAChallenges()]

    /// Loads (or makes, the first time) the token signing key; migrations must have run.
    public init(kernel: Kernel, settings: IdentitySettings) async throws {
        let tokens = try await AccessTokens.load(database: kernel.database, clock: kernel.clock, issuer: kernel.config.instanceName)
        env = IdentityEnvironment(kernel: kernel, settings: settings, tokens: tokens)
        AccountLifecycle(env: env).registerJobs()
        try Authentication(env: env).registerJobs()
        try IdentityNotices(env: env).register()
    }

    public var verifier: any AccessTokenVerifier { IdentityTokenVerifier(env: env) }

    /// Fill it with the domains that keep accounts' counts (`install`), once they are built.
    public var accountStats: AccountStatsSlot { env.stats }

    public func registerRoutes(_ routes: ModuleRoutes) {
        let (anyone, signedIn) = (routes.anyone, routes.signedIn)
        IdentitySchemas.register(in: env.kernel.document, platform: env.kernel.config.platform)
        AuthRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
        AccountRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
        LinkPages(env: env).register(anyone: anyone)
        env.kernel.document.addSchema("HTMLText", ["type": "string"])
    }
}
