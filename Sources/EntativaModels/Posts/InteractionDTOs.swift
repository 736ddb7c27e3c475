import Foundation

public struct SetReactionRequest: Codable, Sendable {
    public var kind: ReactionKind
    public init(kind: ReactionKind) { self.kind = kind }
}

/// Who reacted, and how.
public struct Reaction: Codable, Sendable, Equatable {
    public var account: Account
    public var kind: ReactionKind
    public var createdAt: Date

    public init(account: Account, kind: ReactionKind, createdAt: Date) {
        self.account = account
        self.kind = kind
        self.createdAt = createdAt
    }
}

/// A comment and, in a thread, its replies. A deleted comment (or one whose author and the
/// viewer block each other) stays as a placeholder while it has replies: no author, no text.
public struct Comment: Codable, Sendable, Equatable {
    public var id: CommentID
    public var postId: PostID
    /// The comment this one hangs under in the tree (null at the top level).
    public var parentId: CommentID?
    /// The comment the author answered; differs from `parent_id` below the fifth level.
    public var inReplyToId: CommentID?
    /// 1 at the top level, at most 5.
    public var depth: Int
    public var author: Account?
    public var text: String
    public var mentions: [MentionedAccount]
    public var reactions: ReactionSummary
    public var replyCount: Int
    public var isDeleted: Bool
    public var editedAt: Date?
    public var createdAt: Date
    /// Oldest first.
    public var replies: [Comment]

    public init(
        id: CommentID, postId: PostID, parentId: CommentID?, inReplyToId: CommentID?, depth: Int, author: Account?, text: String,
        mentions: [MentionedAccount], reactions: ReactionSummary, replyCount: Int, isDeleted: Bool, editedAt: Date?,
        createdAt: Date, replies: [Comment]
    ) {
        self.id = id
        self.postId = postId
        self.parentId = parentId
        self.inReplyToId = inReplyToId
        self.depth = depth
        self.author = author
        self.text = text
        self.mentions = mentions
        self.reactions = reactions
        self.replyCount = replyCount
        self.isDeleted = isDeleted
        self.editedAt = editedAt
        self.createdAt = createdAt
        self.replies = replies
    }
}

public struct CreateCommentRequest: Codable, Sendable {
    public var text: String
    public var inReplyToId: CommentID?

    public init(text: String, inReplyToId: CommentID? = nil) {
        self.text = text
        self.inReplyToId = inReplyToId
    }
}

public struct UpdateCommentRequest: Codable, Sendable {
    public var text: String
    public init(text: String) { self.text = text }
}

public enum CommentOrder: String, Codable, Sendable, CaseIterable {
    /// Most reactions and replies first.
    case top
    case newest
}

public struct SavePostRequest: Codable, Sendable {
    /// Also file the post in this collection of mine.
    public var collectionId: CollectionID?
    public init(collectionId: CollectionID? = nil) { self.collectionId = collectionId }
}

/// A named, private collection of saved posts.
public struct SavedCollection: Codable, Sendable, Equatable {
    public var id: CollectionID
    public var name: String
    public var postCount: Int
    public var createdAt: Date

    public init(id: CollectionID, name: String, postCount: Int, createdAt: Date) {
        self.id = id
        self.name = name
        self.postCount = postCount
        self.createdAt = createdAt
    }
}

public struct CollectionForm: Codable, Sendable {
    public var name: String
    public init(name: String) { self.name = name }
}
