import EntativaCore
import EntativaModels
import Foundation
import Graph
import Identity
import Posts

/// What the notification use cases share: the kernel, the registry and the lower domains' faces.
public struct NotificationsEnvironment: Sendable {
    public let kernel: Kernel
    public let registry: NotificationRegistry
    let profiles: Profiles
    let connections: Connections
    let visibility: PostVisibility

    public init(kernel: Kernel, registry: NotificationRegistry, identity: IdentityModule, graph: GraphModule, posts: PostsModule) {
        self.kernel = kernel
        self.registry = registry
        profiles = Profiles(env: identity.env)
        connections = Connections(env: graph.env)
        visibility = PostVisibility(env: posts.env)
    }

    var database: AppDatabase { kernel.database }
    var clock: any WallClock { kernel.clock }
    var groupingWindow: Duration { kernel.config.notifications.groupingWindow }

    /// Recipients are judged as ordinary accounts: staff roles see no more through notifications.
    static func principal(_ account: AccountID) -> Principal {
        Principal(accountID: account, sessionID: SessionID(rawValue: 0), role: .user)
    }

    /// Friends for "from whom": Entativa friends; on Vignette, accounts that follow each other.
    func friends(_ pair: AccountPair, in pairs: RecipientConnections) -> Bool {
        pairs.friends.contains(pair)
            || (kernel.config.platform == .vignette && pairs.following.contains(pair) && pairs.followers.contains(pair))
    }

    /// Which targets (posts, comments) the recipient may still see; other kinds pass.
    func visibleTargets(_ targets: [NotificationTarget], to recipient: AccountID) async throws -> Set<NotificationTarget> {
        var visible = Set(targets.filter { $0.kind != "post" && $0.kind != "comment" })
        let posts = targets.filter { $0.kind == "post" }.compactMap { PostID($0.id) }
        for id in try await visibility.visiblePosts(posts, to: recipient) { visible.insert(NotificationTarget(kind: "post", id: id.description)) }
        let comments = targets.filter { $0.kind == "comment" }.compactMap { CommentID($0.id) }
        for id in try await visibility.visibleComments(comments, to: recipient) { visible.insert(NotificationTarget(kind: "comment", id: id.description)) }
        return visible
    }
}
