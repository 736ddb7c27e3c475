import EntativaCore
import EntativaModels
import Feed
import Graph
import Identity
import Media
import Posts

/// Takes: short videos with Behind-the-Takes, templates, sounds and trends that credit their
/// originator (docs/takes.md).
public struct TakesModule: DomainModule {
    public let env: TakesEnvironment

    public static let migrations: [any SQLMigration] = [CreateTakeTables(), CreateTrendTables(), CreateTemplateTables(), CreateTrendParticipants()]

    public init(
        kernel: Kernel, settings: TakesSettings, identity: IdentityModule, graph: GraphModule, media: MediaModule, posts: PostsModule, feed: FeedModule
    ) throws {
        env = TakesEnvironment(kernel: kernel, settings: settings, identity: identity, graph: graph, media: media, posts: posts, feed: feed)
        try TrendDetection(env: env).registerJobs()
        try TakeNotices(env: env).register()
        TakeEvents(env: env).subscribe()
        TakeErasure(env: env).subscribe()
        graph.env.suggestionBoosts.install(TrendSuggestions(env: env))
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        TakeRoutes.registerSchemas(in: routes.document, env: env)
        TrendRoutes.registerSchemas(in: routes.document)
        TemplateRoutes.registerSchemas(in: routes.document, env: env)
        BehindTheTakeRoutes.registerSchemas(in: routes.document)
        TakeRoutes(env: env).register(anyone: routes.anyone, signedIn: routes.signedIn)
        TrendRoutes(env: env).register(anyone: routes.anyone)
        TemplateRoutes(env: env).register(anyone: routes.anyone, signedIn: routes.signedIn)
        BehindTheTakeRoutes(env: env).register(anyone: routes.anyone, signedIn: routes.signedIn)
    }
}
