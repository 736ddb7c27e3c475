import EntativaCore
import EntativaModels
import Feed
import Graph
import Identity
import Media
import Messaging

/// Stories: 24-hour image and video posts, the tray, views, and their owners' archive.
public struct StoriesModule: DomainModule {
    public let env: StoriesEnvironment

    public static let migrations: [any SQLMigration] = [
        CreateStoryTables(), CreateStoryPosting(), CreateStickerTables(), CreateHighlightTables(), CreateStoryInsights(),
        IndexViewsByViewer(), AddResharedFrom(),
    ]

    public init(kernel: Kernel, settings: StoriesSettings, identity: IdentityModule, graph: GraphModule, media: MediaModule, feed: FeedModule, messaging: MessagingModule) throws {
        env = StoriesEnvironment(kernel: kernel, settings: settings, identity: identity, graph: graph, media: media, feed: feed, messaging: messaging)
        try StoryArchive(env: env).registerJobs()
        Countdowns(env: env).registerJobs()
        try StoryNotices(env: env).register()
        StoryErasure(env: env).subscribe()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        StoryRoutes.registerSchemas(in: routes.document, env: env)
        StickerRoutes.registerSchemas(in: routes.document)
        HighlightRoutes.registerSchemas(in: routes.document)
        StoryRoutes(env: env).register(anyone: routes.anyone, signedIn: routes.signedIn)
        StickerRoutes(env: env).register(signedIn: routes.signedIn)
        HighlightRoutes(env: env).register(anyone: routes.anyone, signedIn: routes.signedIn)
    }
}
