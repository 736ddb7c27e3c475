import EntativaCore
import EntativaModels
import Graph
import Identity
import Posts
import Takes

/// What the search use cases share: the kernel and the lower domains' public faces. The index
/// proposes candidates; these faces decide, on every read, what the searcher may see.
public final class SearchEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: SearchSettings
    let profiles: Profiles
    let directory: AccountDirectory
    let searchablePosts: SearchablePosts
    let posts: HomePosts
    let takes: TakeIndex
    let circles: Circles

    public init(kernel: Kernel, settings: SearchSettings, identity: IdentityModule, graph: GraphModule, posts: PostsModule, takes: TakesModule) {
        self.kernel = kernel
        self.settings = settings
        profiles = Profiles(env: identity.env)
        directory = AccountDirectory(env: identity.env)
        searchablePosts = SearchablePosts(env: posts.env)
        self.posts = HomePosts(env: posts.env)
        self.takes = TakeIndex(env: takes.env)
        circles = Circles(database: kernel.database, graph: HomeGraph(env: graph.env))
    }

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }
}
