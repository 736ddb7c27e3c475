import EntativaCore
import EntativaModels
import Graph
import Posts

/// Home timelines: posts pushed into their readers' homes when published (fan-out on write),
/// merged at read time with the posts of authors too big to push (decision 0019).
public struct FeedModule: DomainModule {
    public let env: FeedEnvironment

    public static let migrations: [any SQLMigration] = [CreateHomeEntries(), CreateInteractions(), CreateImpressions(), CreateModels(), CreateHomeGaps(), ClusterHomeEntries(), CreatePullStates()]

    public init(kernel: Kernel, settings: FeedSettings, graph: GraphModule, posts: PostsModule) throws {
        env = FeedEnvironment(kernel: kernel, settings: settings, graph: graph, posts: posts)
        FanOut(env: env).subscribe()
        HomeMembership(env: env).subscribe()
        Affinity(env: env).subscribe()
        try Affinity(env: env).registerJobs()
        Impressions(env: env).subscribe()
        try Impressions(env: env).registerJobs()
        try ModelTraining(env: env).registerJobs()
        FeedErasure(env: env).subscribe()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        FeedRoutes.registerSchemas(in: routes.document)
        FeedRoutes(env: env).register(signedIn: routes.signedIn)
    }
}
