import EntativaCore
import EntativaModels
import Foundation
import Graph
import Identity
import Media

/// What the post use cases share: the kernel and the lower domains' public faces.
public final class PostsEnvironment: Sendable {
    public let kernel: Kernel
    let profiles: Profiles
    let connections: Connections
    let attachments: MediaAttachments
    let rows: PostRows
    let engagement: Engagement
    let authorCounts: AuthorPostCounts
    let recentPosts: AuthorRecentPosts

    public init(kernel: Kernel, identity: IdentityModule, graph: GraphModule, media: MediaModule) {
        self.kernel = kernel
        profiles = Profiles(env: identity.env)
        connections = Connections(env: graph.env)
        attachments = MediaAttachments(env: media.env)
        rows = PostRows(database: kernel.database)
        engagement = Engagement(database: kernel.database)
        authorCounts = AuthorPostCounts(database: kernel.database)
        recentPosts = AuthorRecentPosts(database: kernel.database, rows: rows)
    }

    var now: Int64 { kernel.clock.nowMillis() }
    var database: AppDatabase { kernel.database }
    var platform: Platform { kernel.config.platform }

    /// The longest text a post may carry: Entativa's posts, Vignette's captions.
    var maxText: Int { platform == .entativa ? 5_000 : 2_200 }
    static let maxComment = 2_200
    static let maxMedia = 10
    static let maxLocationName = 200

    /// The audiences this network offers.
    var audiences: [PostAudience] {
        platform == .entativa ? [.public, .friends, .closeFriends, .onlyMe] : [.public, .followers, .closeFriends, .onlyMe]
    }

    var commentPolicies: [CommentPolicy] {
        platform == .entativa ? [.everyone, .friends, .nobody] : [.everyone, .followers, .nobody]
    }

    var reactionKinds: [ReactionKind] { platform == .entativa ? ReactionKind.allCases : [.like] }

    func checkAudience(_ audience: PostAudience, field: String = "audience", into validator: inout Validator) {
        validator.check(
            audiences.contains(audience), field, "unsupported",
            "must be one of \(audiences.map(\.rawValue).joined(separator: ", ")) on \(platform.rawValue)")
    }

    /// Mentions resolved to accounts the author may see; unknown and blocking accounts drop out.
    func resolveMentions(_ names: [String], author: Principal) async throws -> [MentionedAccount] {
        let accounts = try await profiles.accounts(usernames: names, viewer: author, counts: false)
        let byKey = Dictionary(accounts.map { ($0.username.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return names.compactMap { byKey[$0.lowercased()] }.filter { $0.id != author.accountID }
            .map { MentionedAccount(id: $0.id, username: $0.username) }
    }
}
