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
    let gaps: HomeGapCache
    let pullStates: PullStates
    let heads: HomeHeads
    let history: ReaderHistory

    public init(kernel: Kernel, settings: FeedSettings, graph: GraphModule, posts: PostsModule) {
        self.kernel = kernel
        self.settings = settings
        self.graph = HomeGraph(env: graph.env)
        self.posts = HomePosts(env: posts.env)
        self.gaps = HomeGapCache(database: kernel.database)
        self.pullStates = PullStates(database: kernel.database)
        self.heads = HomeHeads(database: kernel.database)
        self.history = ReaderHistory(database: kernel.database)
    }

    var database: AppDatabase { kernel.database }

    /// Whether `author`'s audience is at the fan-out threshold, so their next post is not pushed.
    func audienceAtThreshold(_ author: AccountID) async throws -> Bool {
        let size = try await graph.audienceSizes(of: [author])[author] ?? 0
        return size >= settings.fanOutThreshold
    }
}
