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

    /// The one rule of who gets what, applied when a notification is stored and again when it is
    /// sent: the actor is neither blocked (either way) nor muted and passes the type's "from whom",
    /// and everything it points at (its target and object) is visible to the recipient.
    func reaches(
        _ recipient: AccountID, type: String, actor: AccountID?, pointers: [NotificationTarget], rules: PreferenceRules,
        pairs: RecipientConnections, visible: Set<NotificationTarget>
    ) -> Bool {
        if let actor {
            let pair = AccountPair(recipient, actor)
            guard !pairs.blocked.contains(pair), !pairs.muted.contains(pair) else { return false }
            let follows = pairs.following.contains(pair)
            // Entativa friends; on Vignette, accounts that follow each other.
            let friends = pairs.friends.contains(pair) || (kernel.config.platform == .vignette && follows && pairs.followers.contains(pair))
            guard rules.admits(type: type, actor: actor, follows: follows, friends: friends) else { return false }
        }
        return pointers.allSatisfy(visible.contains)
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
