import EntativaCore
import EntativaModels
import Feed
import Graph
import Identity
import Media
import Posts
import Synchronization

/// What the Takes use cases share: the kernel and the lower domains' public faces.
public final class TakesEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: TakesSettings
    let profiles: Profiles
    let homeGraph: HomeGraph
    let attachments: MediaAttachments
    let publishing: Publishing
    let posts: HomePosts
    let affinity: ReaderAffinity
    let boostCache = Mutex<TrendBoosts.Snapshot?>(nil)
    let candidates: TakeCandidates

    public init(kernel: Kernel, settings: TakesSettings, identity: IdentityModule, graph: GraphModule, media: MediaModule, posts: PostsModule, feed: FeedModule) {
        self.kernel = kernel
        self.settings = settings
        profiles = Profiles(env: identity.env)
        homeGraph = HomeGraph(env: graph.env)
        attachments = MediaAttachments(env: media.env)
        publishing = Publishing(env: posts.env)
        self.posts = HomePosts(env: posts.env)
        affinity = ReaderAffinity(env: feed.env)
        candidates = TakeCandidates(database: kernel.database, size: settings.feedWindow)
    }

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }

    /// The accounts of `ids` that `viewer` may see, by ID.
    func visibleAccounts(_ ids: some Sequence<AccountID>, viewer: Principal?) async throws -> [AccountID: Account] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        let accounts = try await profiles.accounts(unique, viewer: viewer)
        return Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
    }

    /// Of `takes`, those whose posts `viewer` may see now.
    func visiblePosts(_ takes: [PostID], viewer: Principal?) async throws -> Set<PostID> {
        guard !takes.isEmpty else { return [] }
        return Set(try await posts.visibleSignals(of: takes, viewer: viewer).map(\.id))
    }
}
