import EntativaCore
import EntativaModels
import Foundation
import Graph
import Identity

/// What the notification use cases share: the kernel, its catalog of the modules' notification
/// types, and the faces of the lower domains that know accounts, blocks, mutes and follows.
public final class NotificationsEnvironment: Sendable {
    public let kernel: Kernel
    let profiles: Profiles
    let connections: Connections
    let standings: AccountStandings
    public let settings: NotificationSettings

    public init(kernel: Kernel, settings: NotificationSettings, identity: IdentityModule, graph: GraphModule) {
        self.kernel = kernel
        self.settings = settings
        profiles = Profiles(env: identity.env)
        connections = Connections(env: graph.env)
        standings = AccountStandings(env: identity.env)
    }

    /// Every module's notification types and target rules.
    public var catalog: NotificationCatalog { kernel.notificationCatalog }
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
}
