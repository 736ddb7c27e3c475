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
    let standings: AccountStandings
    /// The visibility rule of each kind of target; later domains add theirs.
    public let targets: NotificationTargets
    public let settings: NotificationSettings

    public init(
        kernel: Kernel, settings: NotificationSettings, registry: NotificationRegistry, identity: IdentityModule, graph: GraphModule,
        posts: PostsModule
    ) {
        self.kernel = kernel
        self.settings = settings
        self.registry = registry
        profiles = Profiles(env: identity.env)
        connections = Connections(env: graph.env)
        standings = AccountStandings(env: identity.env)
        targets = NotificationTargets()
        let visibility = PostVisibility(env: posts.env)
        targets.register("post") { ids, recipient in
            Set(try await visibility.visiblePosts(ids.compactMap(PostID.init), to: recipient).map(\.description))
        }
        targets.register("comment") { ids, recipient in
            Set(try await visibility.visibleComments(ids.compactMap(CommentID.init), to: recipient).map(\.description))
        }
        // A sign-in is its own account's business only.
        let sessions = Sessions(env: identity.env)
        targets.register("session") { ids, recipient in
            Set(try await sessions.owned(ids.compactMap(SessionID.init), by: recipient).map(\.description))
        }
    }

    var database: AppDatabase { kernel.database }
    var clock: any WallClock { kernel.clock }
    var groupingWindow: Duration { settings.groupingWindow }

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

    /// Which targets the recipient may still see; a kind without a rule is never visible.
    func visibleTargets(_ targets: [NotificationTarget], to recipient: AccountID) async throws -> Set<NotificationTarget> {
        try await self.targets.visible(targets, to: recipient)
    }
}
