import Foundation

public enum StoryEntity {}
public typealias StoryID = Identifier<StoryEntity>

/// Who a story reaches. `public` is everyone who may see the account (its followers, or friends,
/// when it is private); `followers` exists on Vignette and `friends` on Entativa; a hide-from
/// list narrows any of them.
public enum StoryAudience: String, Codable, Sendable, CaseIterable {
    case `public`
    case followers
    case friends
    case closeFriends = "close_friends"
}

/// A story as one viewer sees it. Its author also sees its audience, hide-from list and view
/// count; nobody else does.
public struct Story: Codable, Sendable, Equatable {
    public var id: StoryID
    public var author: Account
    public var media: MediaAttachment
    public var caption: String
    /// How long an image is shown; a video plays its own length.
    public var displaySeconds: Double
    public var stickers: [StorySticker]
    /// A question sticker's answer that the author reshared as this story.
    public var resharedAnswer: ResharedAnswer?
    public var createdAt: Date
    public var expiresAt: Date
    /// Whether the viewer has seen it (always true for its author).
    public var seen: Bool
    public var audience: StoryAudience?
    public var hideFrom: [AccountID]?
    public var viewCount: Int?

    public init(
        id: StoryID, author: Account, media: MediaAttachment, caption: String, displaySeconds: Double, stickers: [StorySticker],
        resharedAnswer: ResharedAnswer?, createdAt: Date, expiresAt: Date, seen: Bool, audience: StoryAudience?, hideFrom: [AccountID]?, viewCount: Int?
    ) {
        self.id = id
        self.author = author
        self.media = media
        self.caption = caption
        self.displaySeconds = displaySeconds
        self.stickers = stickers
        self.resharedAnswer = resharedAnswer
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.seen = seen
        self.audience = audience
        self.hideFrom = hideFrom
        self.viewCount = viewCount
    }
}

public struct CreateStoryRequest: Codable, Sendable {
    public var mediaId: MediaID
    public var caption: String?
    public var audience: StoryAudience?
    public var hideFrom: [AccountID]?
    /// For an image: 1–15 seconds (default 5). A video's length is its own.
    public var displaySeconds: Int?
    public var stickers: [StickerInput]?
    /// Reshares one answer to a question sticker on one of my stories.
    public var reshare: ReshareAnswer?

    public init(
        mediaId: MediaID, caption: String? = nil, audience: StoryAudience? = nil, hideFrom: [AccountID]? = nil, displaySeconds: Int? = nil,
        stickers: [StickerInput]? = nil, reshare: ReshareAnswer? = nil
    ) {
        self.mediaId = mediaId
        self.caption = caption
        self.audience = audience
        self.hideFrom = hideFrom
        self.displaySeconds = displaySeconds
        self.stickers = stickers
        self.reshare = reshare
    }
}

/// Which answer to reshare: the question sticker and who answered.
public struct ReshareAnswer: Codable, Sendable, Equatable {
    public var stickerId: StickerID
    public var accountId: AccountID

    public init(stickerId: StickerID, accountId: AccountID) {
        self.stickerId = stickerId
        self.accountId = accountId
    }
}

/// A reshared answer as the new story shows it: the prompt and the answer, never who gave it.
public struct ResharedAnswer: Codable, Sendable, Equatable {
    public var question: String
    public var text: String

    public init(question: String, text: String) {
        self.question = question
        self.text = text
    }
}

/// One account in a viewer's tray: its live stories that the viewer may see.
public struct StoryTrayItem: Codable, Sendable, Equatable {
    public var account: Account
    public var storyCount: Int
    public var unseenCount: Int
    /// When its newest story was posted.
    public var latestAt: Date
    /// Whether any of them is for close friends only (the green ring).
    public var closeFriends: Bool

    public init(account: Account, storyCount: Int, unseenCount: Int, latestAt: Date, closeFriends: Bool) {
        self.account = account
        self.storyCount = storyCount
        self.unseenCount = unseenCount
        self.latestAt = latestAt
        self.closeFriends = closeFriends
    }
}

/// Someone who saw my story, for "seen by".
public struct StoryViewer: Codable, Sendable, Equatable {
    public var account: Account
    public var viewedAt: Date

    public init(account: Account, viewedAt: Date) {
        self.account = account
        self.viewedAt = viewedAt
    }
}

/// One of my stories once it has left the 24-hour tray: what the archive lists.
public struct ArchivedStory: Codable, Sendable, Equatable {
    public var id: StoryID
    public var caption: String
    public var createdAt: Date
    /// When it left the tray (24 hours after `created_at`).
    public var expiresAt: Date
    public var archivedAt: Date

    public init(id: StoryID, caption: String, createdAt: Date, expiresAt: Date, archivedAt: Date) {
        self.id = id
        self.caption = caption
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.archivedAt = archivedAt
    }
}
