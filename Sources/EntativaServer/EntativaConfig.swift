import EntativaCore
import Feed
import Graph
import Identity
import Media
import Notifications
import Messaging
import Stories
import Search
import Takes

/// Everything a deployment can set: the kernel's `ServerConfig` and each module's own settings.
/// Kernel fields read through it directly (`config.port`); a module's through its section
/// (`config.graph.maxFriends`).
@dynamicMemberLookup
public struct EntativaConfig: Sendable {
    public var server: ServerConfig
    public var identity: IdentitySettings
    public var media: MediaSettings
    public var graph: GraphSettings
    public var notifications: NotificationSettings
    public var stories: StoriesSettings
    public var takes: TakesSettings
    public var search: SearchSettings
    public var feed: FeedSettings
    public var messaging: MessagingSettings

    public init(
        server: ServerConfig = ServerConfig(), identity: IdentitySettings = IdentitySettings(), media: MediaSettings = MediaSettings(),
        graph: GraphSettings = GraphSettings(), notifications: NotificationSettings = NotificationSettings(),
        stories: StoriesSettings = StoriesSettings(), feed: FeedSettings = FeedSettings(),
        messaging: MessagingSettings = MessagingSettings(), takes: TakesSettings = TakesSettings(),
        search: SearchSettings = SearchSettings()
    ) {
        self.takes = takes
        self.search = search
        self.server = server
        self.identity = identity
        self.media = media
        self.graph = graph
        self.notifications = notifications
        self.stories = stories
        self.feed = feed
        self.messaging = messaging
    }

    /// Each module reads its own variables; a bad one is a `ConfigurationError` naming it.
    public init(server: ServerConfig, reading reader: SettingsReader) throws {
        self.init(
            server: server, identity: try IdentitySettings(reading: reader), media: try MediaSettings(reading: reader),
            graph: try GraphSettings(reading: reader), notifications: try NotificationSettings(reading: reader),
            stories: try StoriesSettings(reading: reader), feed: try FeedSettings(reading: reader),
            messaging: try MessagingSettings(reading: reader), takes: try TakesSettings(reading: reader),
            search: try SearchSettings(reading: reader))
    }

    public subscript<Value>(dynamicMember path: KeyPath<ServerConfig, Value>) -> Value {
        server[keyPath: path]
    }

    public subscript<Value>(dynamicMember path: WritableKeyPath<ServerConfig, Value>) -> Value {
        get { server[keyPath: path] }
        set { server[keyPath: path] = newValue }
    }

    /// Every limit a client may run into, by name: what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        [
            server.limits.publicSummary, identity.publicLimits, media.publicLimits, graph.publicLimits, notifications.publicLimits,
            stories.publicLimits, feed.publicLimits, messaging.publicLimits, takes.publicLimits, search.publicLimits,
        ].reduce(into: [:]) {
            $0.merge($1) { first, _ in first }
        }
    }
}
