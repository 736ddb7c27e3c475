import EntativaCore
import EntativaModels

/// Published in the transaction that posts a story, for notifications (and, later, search).
public struct StoryPosted: DomainEvent {
    public static let topic = "story.posted"
    public var storyId: StoryID
    public var authorId: AccountID
    /// Accounts its mention stickers name.
    public var mentioned: [AccountID]
}

/// Someone replied to a story (the reply itself is an encrypted message the server cannot read).
public struct StoryReplied: DomainEvent {
    public static let topic = "story.replied"
    public var storyId: StoryID
    public var authorId: AccountID
    public var senderId: AccountID
}
