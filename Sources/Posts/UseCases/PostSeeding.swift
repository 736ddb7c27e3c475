import EntativaCore
import EntativaModels

/// A post `entativa seed` makes: text with its hashtags, or a share of an earlier post, with
/// its counts already summed from the seeded reactions, comments and shares.
public struct SeededPost: Sendable {
    public var id: PostID
    public var author: AccountID
    public var text: String
    public var audience: PostAudience
    public var hashtags: [String]
    public var sharedPostId: PostID?
    public var reactionCount: Int
    public var commentCount: Int
    public var shareCount: Int
    public var createdAt: Int64
    /// Media shown, in order: ready items that stay attached to whatever the seeder chose.
    public var mediaIds: [MediaID] = []

    public init(id: PostID, author: AccountID, text: String, audience: PostAudience, hashtags: [String], sharedPostId: PostID?, createdAt: Int64) {
        self.id = id
        self.author = author
        self.text = text
        self.audience = audience
        self.hashtags = hashtags
        self.sharedPostId = sharedPostId
        self.reactionCount = 0
        self.commentCount = 0
        self.shareCount = 0
        self.createdAt = createdAt
    }
}

public struct SeededReaction: Sendable {
    public var post: PostID
    public var account: AccountID
    public var kind: ReactionKind
    public var createdAt: Int64

    public init(post: PostID, account: AccountID, kind: ReactionKind, createdAt: Int64) {
        self.post = post
        self.account = account
        self.kind = kind
        self.createdAt = createdAt
    }
}

/// A comment on a post, or a reply to one of its top-level comments (`parent`).
public struct SeededComment: Sendable {
    public var id: CommentID
    public var post: PostID
    public var parent: CommentID?
    public var author: AccountID
    public var text: String
    public var replyCount: Int
    public var createdAt: Int64

    public init(id: CommentID, post: PostID, parent: CommentID?, author: AccountID, text: String, createdAt: Int64) {
        self.id = id
        self.post = post
        self.parent = parent
        self.author = author
        self.text = text
        self.replyCount = 0
        self.createdAt = createdAt
    }
}

/// Writes seeded posts and engagement in bulk, without the use cases' checks and events: for an
/// empty database no server is using (`entativa seed`). Shares are posts with `sharedPostId`.
public struct PostSeeding: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    public func insertPosts(_ posts: [SeededPost], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        try await BulkWrite.run(posts, on: env.database, progress: progress) { PostSeedStore.insertPosts($0) }
        let tags = posts.flatMap { post in post.hashtags.map { (tag: $0, post: post.id) } }
        try await BulkWrite.run(tags, on: env.database) { PostSeedStore.insertHashtags($0) }
        let shares = posts.filter { $0.sharedPostId != nil }
        try await BulkWrite.run(shares, on: env.database) { PostSeedStore.insertShares($0) }
        let media = posts.flatMap { post in post.mediaIds.enumerated().map { (post: post.id, position: $0.offset, media: $0.element) } }
        try await BulkWrite.run(media, on: env.database) { PostSeedStore.insertMedia($0) }
    }

    public func insertReactions(_ reactions: [SeededReaction], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        try await BulkWrite.run(reactions, on: env.database, progress: progress) { PostSeedStore.insertReactions($0) }
        var counts: [PostSeedStore.ReactionCount: Int] = [:]
        for reaction in reactions { counts[PostSeedStore.ReactionCount(post: reaction.post, kind: reaction.kind), default: 0] += 1 }
        try await BulkWrite.run(Array(counts), on: env.database) { PostSeedStore.insertReactionCounts($0) }
    }

    public func insertComments(_ comments: [SeededComment], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        try await BulkWrite.run(comments, on: env.database, progress: progress) { PostSeedStore.insertComments($0) }
    }
}
