import EntativaCore
import EntativaModels
import Graph
import Posts

/// What the feed's use cases share.
public final class FeedEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: FeedSettings
    let graph: HomeGraph
    let posts: HomePosts

    public init(kernel: Kernel, settings: FeedSettings, graph: GraphModule, posts: PostsModule) {
        self.kernel = kernel
        self.settings = settings
        self.graph = HomeGraph(env: graph.env)
        self.posts = HomePosts(env: posts.env)
    }

    var database: AppDatabase { kernel.database }

    /// Whether `author`'s posts are merged in when homes are read rather than pushed into them.
    func isPulled(_ author: AccountID) async throws -> Bool {
        let size = try await graph.audienceSizes(of: [author])[author] ?? 0
        return size >= settings.fanOutThreshold
    }
}
