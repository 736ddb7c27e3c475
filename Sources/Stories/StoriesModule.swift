import EntativaCore
import EntativaModels

/// Stories: 24-hour posts and their owners' archive. A skeleton so far (issue 12's proof of the
/// module template): the table, the archive route, the `story_mention` notification type and
/// the sweep that archives expired stories; the stories issue fills in the rest.
public struct StoriesModule: DomainModule {
    public let env: StoriesEnvironment

    public static let migrations: [any SQLMigration] = [CreateStoryTables()]

    public init(kernel: Kernel, settings: StoriesSettings) throws {
        env = StoriesEnvironment(kernel: kernel, settings: settings)
        try StoryArchive(env: env).registerJobs()
        try StoryNotices(env: env).register()
        StoryErasure(env: env).subscribe()
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        StoryRoutes.registerSchemas(in: routes.document)
        StoryRoutes(env: env).register(signedIn: routes.signedIn)
    }
}
