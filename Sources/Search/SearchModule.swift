import EntativaCore
import EntativaModels
import Graph
import Identity
import Posts
import Takes

/// Search: one box for people, posts, Takes and hashtags, with typo tolerance, prefixes,
/// folded diacritics and CJK (docs/search.md).
public struct SearchModule: DomainModule {
    public let env: SearchEnvironment

    public static let migrations: [any SQLMigration] = [
        CreateSearchTables(), CreateSearchTextIndex(), CreateSearchFuzzyIndex(), CreateSearchPrefixes(), CreateSearchTrends(),
        CreateSearchHistory(), CreateSearchPlaces(),
    ]

    public init(kernel: Kernel, settings: SearchSettings, identity: IdentityModule, graph: GraphModule, posts: PostsModule, takes: TakesModule) throws {
        env = SearchEnvironment(kernel: kernel, settings: settings, identity: identity, graph: graph, posts: posts, takes: takes)
        IndexEvents(env: env).subscribe()
        SearchErasure(env: env).subscribe()
        try HashtagTrends(env: env).registerJobs()
        try SearchHistory(env: env).registerJobs()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        SearchRoutes.registerSchemas(in: routes.document)
        SearchRoutes(env: env).register(anyone: routes.anyone)
        TrendRoutes.registerSchemas(in: routes.document)
        TrendRoutes(env: env).register(anyone: routes.anyone)
        HistoryRoutes.registerSchemas(in: routes.document)
        HistoryRoutes(env: env).register(signedIn: routes.signedIn)
    }
}
