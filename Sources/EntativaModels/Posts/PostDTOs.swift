import Foundation

/// A post as one viewer sees it.
public struct Post: Codable, Sendable, Equatable {
    public var id: PostID
    public var author: Account
    public var text: String
    public var audience: PostAudience
    public var commentPolicy: CommentPolicy
    public var location: PostLocation?
    public var media: [MediaAttachment]
    /// Normalised (NFKC, lower case) names, in the order they first appear.
    public var hashtags: [String]
    public var mentions: [MentionedAccount]
    public var reactions: ReactionSummary
    public var commentCount: Int
    public var shareCount: Int
    /// True for shares, also when the viewer may not see the original: then `shared_post_id`
    /// is absent and `shared_post` null, so a hidden post's ID never leaks.
    public var isShare: Bool
    public var sharedPostId: PostID?
    @Indirect public var sharedPost: Post?
    /// Whether the viewer saved it; null for anonymous viewers.
    public var saved: Bool?
    public var editedAt: Date?
    public var createdAt: Date

    public init(
        id: PostID, author: Account, text: String, audience: PostAudience, commentPolicy: CommentPolicy, location: PostLocation?,
        media: [MediaAttachment], hashtags: [String], mentions: [MentionedAccount], reactions: ReactionSummary, commentCount: Int,
        shareCount: Int, isShare: Bool, sharedPostId: PostID?, sharedPost: Post?, saved: Bool?, editedAt: Date?, createdAt: Date
    ) {
        self.isShare = isShare
        self.id = id
        self.author = author
        self.text = text
        self.audience = audience
        self.commentPolicy = commentPolicy
        self.location = location
        self.media = media
        self.hashtags = hashtags
        self.mentions = mentions
        self.reactions = reactions
        self.commentCount = commentCount
        self.shareCount = shareCount
        self.sharedPostId = sharedPostId
        self.sharedPost = sharedPost
        self.saved = saved
        self.editedAt = editedAt
        self.createdAt = createdAt
    }
}

public struct CreatePostRequest: Codable, Sendable {
    public var text: String?
    public var mediaIds: [MediaID]?
    public var location: PostLocation?
    public var audience: PostAudience?
    public var commentPolicy: CommentPolicy?

    public init(
        text: String? = nil, mediaIds: [MediaID]? = nil, location: PostLocation? = nil, audience: PostAudience? = nil,
        commentPolicy: CommentPolicy? = nil
    ) {
        self.text = text
        self.mediaIds = mediaIds
        self.location = location
        self.audience = audience
        self.commentPolicy = commentPolicy
    }
}

/// Absent fields stay as they are.
public struct UpdatePostRequest: Codable, Sendable {
    public var text: String?
    public var audience: PostAudience?
    public var commentPolicy: CommentPolicy?

    public init(text: String? = nil, audience: PostAudience? = nil, commentPolicy: CommentPolicy? = nil) {
        self.text = text
        self.audience = audience
        self.commentPolicy = commentPolicy
    }
}

/// One version of a post's text and audience; the history lists the current one first.
public struct PostRevision: Codable, Sendable, Equatable {
    public var text: String
    public var audience: PostAudience
    /// When this version was written.
    public var createdAt: Date

    public init(text: String, audience: PostAudience, createdAt: Date) {
        self.text = text
        self.audience = audience
        self.createdAt = createdAt
    }
}

public struct SharePostRequest: Codable, Sendable {
    /// Optional quote text.
    public var text: String?
    /// Defaults to the original's audience; may not be wider.
    public var audience: PostAudience?

    public init(text: String? = nil, audience: PostAudience? = nil) {
        self.text = text
        self.audience = audience
    }
}
