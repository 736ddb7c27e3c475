import EntativaCore
import EntativaModels
import Feed
import Graph
import Identity
import Media
import Messaging

/// What the story use cases share: the kernel and the lower domains' public faces.
public final class StoriesEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: StoriesSettings
    let profiles: Profiles
    let connections: Connections
    let homeGraph: HomeGraph
    let attachments: MediaAttachments
    let affinity: ReaderAffinity
    let replies: StoryReplySends
    let liveStories: LiveStories

    public init(kernel: Kernel, settings: StoriesSettings, identity: IdentityModule, graph: GraphModule, media: MediaModule, feed: FeedModule, messaging: MessagingModule) {
        self.kernel = kernel
        self.settings = settings
        profiles = Profiles(env: identity.env)
        connections = Connections(env: graph.env)
        homeGraph = HomeGraph(env: graph.env)
        attachments = MediaAttachments(env: media.env)
        affinity = ReaderAffinity(env: feed.env)
        replies = StoryReplySends(env: messaging.env)
        liveStories = LiveStories(database: kernel.database)
    }

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }
    var platform: Platform { kernel.config.platform }

    /// The audiences this network offers.
    var audiences: [StoryAudience] { platform == .entativa ? [.public, .friends, .closeFriends] : [.public, .followers, .closeFriends] }
}
