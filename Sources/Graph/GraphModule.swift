import EntativaCore
import EntativaModels
import Identity

/// The social graph: follows and follow requests, blocks, mutes and close friends.
public struct GraphModule: DomainModule {
    public let env: GraphEnvironment

    public static let migrations: [any SQLMigration] = [CreateGraphTables(), CreateFriendTables(), CreateSuggestionDismissals()]

    public init(kernel: Kernel, settings: GraphSettings, identity: IdentityModule) throws {
        env = GraphEnvironment(kernel: kernel, settings: settings, identity: identity)
        kernel.blocks.install(GraphBlockList(caches: env.caches))
        GraphErasure(env: env).subscribe()
        try GraphNotices(kernel: kernel).register()
    }

    /// Followers, following and friends for identity's account counts.
    public var accountStats: any AccountStatsSource { GraphAccountStats(env: env) }

    public func registerRoutes(_ routes: ModuleRoutes) {
        let (anyone, signedIn) = (routes.anyone, routes.signedIn)
        let document = env.kernel.document
        document.addSchema(
            "Relationship",
            Schema.object(
                [
                    "id": Schema.id, "following": Schema.boolean, "followed_by": Schema.boolean, "requested": Schema.boolean,
                    "requested_by": Schema.boolean, "blocking": Schema.boolean, "blocked_by": Schema.boolean, "muting": Schema.boolean,
                    "close_friend": Schema.boolean, "friends": Schema.boolean, "friend_requested": Schema.boolean,
                    "friend_requested_by": Schema.boolean,
                ],
                required: [
                    "id", "following", "followed_by", "requested", "requested_by", "blocking", "blocked_by", "muting", "close_friend",
                    "friends", "friend_requested", "friend_requested_by",
                ]))
        document.addSchema("RelationshipPage", Schema.page(of: "Relationship"))
        document.addSchema("AccountPage", Schema.page(of: "Account"))
        document.addSchema(
            "FollowRequest", Schema.object(["account": Schema.ref("Account"), "created_at": Schema.timestamp], required: ["account", "created_at"]))
        document.addSchema("FollowRequestPage", Schema.page(of: "FollowRequest"))
        GraphRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
        SuggestionRoutes.registerSchemas(in: document)
        SuggestionRoutes(env: env).register(signedIn: signedIn)
        // Friendships are Entativa's: on Vignette the routes do not exist, in the router or the document.
        guard env.kernel.config.platform == .entativa else { return }
        document.addSchema("SendFriendRequest", Schema.object(["account_id": Schema.id], required: ["account_id"]))
        // No request ID: a request is addressed by `account.id` (decision 0012).
        document.addSchema(
            "FriendRequest", Schema.object(["account": Schema.ref("Account"), "created_at": Schema.timestamp], required: ["account", "created_at"]))
        document.addSchema("FriendRequestPage", Schema.page(of: "FriendRequest"))
        FriendRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
    }

}
