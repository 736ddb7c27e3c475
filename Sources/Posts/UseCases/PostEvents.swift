import EntativaCore
import EntativaModels

/// Published in the transaction that makes the change, for feeds, notifications and search.
public struct PostPublished: DomainEvent {
    public static let topic = "post.published"
    public var postId: PostID
    public var authorId: AccountID
    public var audience: PostAudience
    public var hashtags: [String]
    /// Set for shares.
    public var sharedPostId: PostID?
}

public struct PostEdited: DomainEvent {
    public static let topic = "post.edited"
    public var postId: PostID
    public var authorId: AccountID
    public var audience: PostAudience
    /// The hashtags after the edit; absent in events written before it was added.
    public var hashtags: [String]?
    /// Milliseconds since 1970; absent in events written before it was added.
    public var editedAt: Int64?
}

public struct PostDeleted: DomainEvent {
    public static let topic = "post.deleted"
    public var postId: PostID
    public var authorId: AccountID
}

/// Someone was newly mentioned in a post or a comment.
public struct AccountMentioned: DomainEvent {
    public static let topic = "post.mentioned"
    public var postId: PostID
    public var commentId: CommentID?
    public var authorId: AccountID
    public var mentionedId: AccountID
}

public struct PostReacted: DomainEvent {
    public static let topic = "post.reacted"
    public var postId: PostID
    /// Set when the reaction is on a comment.
    public var commentId: CommentID?
    /// Whose post or comment it is.
    public var ownerId: AccountID
    public var reactorId: AccountID
    public var kind: ReactionKind
}

public struct PostCommented: DomainEvent {
    public static let topic = "post.commented"
    public var postId: PostID
    public var commentId: CommentID
    public var postAuthorId: AccountID
    public var authorId: AccountID
    /// The author of the comment answered, for replies.
    public var inReplyToAuthorId: AccountID?
    /// The comment answered, for replies.
    public var inReplyToId: CommentID?
}

public struct PostShared: DomainEvent {
    public static let topic = "post.shared"
    public var shareId: PostID
    public var originalId: PostID
    public var originalAuthorId: AccountID
    public var sharerId: AccountID
    /// A share with its own text is a quote.
    public var isQuote: Bool
}
