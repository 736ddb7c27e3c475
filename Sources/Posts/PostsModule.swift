import EntativaCore
import EntativaModels
import Graph
import Identity
import Media

/// Posts, shares, reactions, comments, saves and collections.
public struct PostsModule: DomainModule {
    public let env: PostsEnvironment

    public static let migrations: [any SQLMigration] = [CreatePostTables(), AddAccountLookups()]

    public init(kernel: Kernel, identity: IdentityModule, graph: GraphModule, media: MediaModule) throws {
        env = PostsEnvironment(kernel: kernel, identity: identity, graph: graph, media: media)
        AuthorErasure(env: env).subscribe()
        try PostNotices(env: env).register()
    }

    /// Posts for identity's account counts.
    public var accountStats: any AccountStatsSource { PostAccountStats(env: env) }

    public func registerRoutes(_ routes: ModuleRoutes) {
        let (anyone, signedIn) = (routes.anyone, routes.signedIn)
        PostSchemas.register(in: env.kernel.document, env: env)
        PostRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
        InteractionRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
        SaveRoutes(env: env).register(signedIn: signedIn)
    }
}
