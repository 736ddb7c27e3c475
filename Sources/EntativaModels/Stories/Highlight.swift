import Foundation

public enum HighlightEntity {}
public typealias HighlightID = Identifier<HighlightEntity>

/// A highlight's cover: an emoji on a colour, or a frame of one of its stories.
public struct HighlightCover: Codable, Sendable, Equatable {
    public var emoji: String?
    /// `#rrggbb`.
    public var color: String?
    public var storyId: StoryID?

    public init(emoji: String? = nil, color: String? = nil, storyId: StoryID? = nil) {
        self.emoji = emoji
        self.color = color
        self.storyId = storyId
    }
}

/// Stories kept on a profile past their day. In a list it carries no stories; one highlight
/// carries those the viewer may watch, in their order.
public struct Highlight: Codable, Sendable, Equatable {
    public var id: HighlightID
    public var owner: Account
    public var title: String
    public var cover: HighlightCover
    public var pinned: Bool
    /// How many of its stories the viewer may watch.
    public var storyCount: Int
    public var stories: [Story]?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: HighlightID, owner: Account, title: String, cover: HighlightCover, pinned: Bool, storyCount: Int, stories: [Story]?, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.owner = owner
        self.title = title
        self.cover = cover
        self.pinned = pinned
        self.storyCount = storyCount
        self.stories = stories
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct CreateHighlightRequest: Codable, Sendable {
    public var title: String
    public var cover: HighlightCover?
    /// My stories, live or archived, in the order they play.
    public var storyIds: [StoryID]
    public var pinned: Bool?

    public init(title: String, cover: HighlightCover? = nil, storyIds: [StoryID], pinned: Bool? = nil) {
        self.title = title
        self.cover = cover
        self.storyIds = storyIds
        self.pinned = pinned
    }
}

/// Whatever is given replaces what was there; `story_ids` replaces the whole ordered list.
public struct UpdateHighlightRequest: Codable, Sendable {
    public var title: String?
    public var cover: HighlightCover?
    public var storyIds: [StoryID]?
    public var pinned: Bool?

    public init(title: String? = nil, cover: HighlightCover? = nil, storyIds: [StoryID]? = nil, pinned: Bool? = nil) {
        self.title = title
        self.cover = cover
        self.storyIds = storyIds
        self.pinned = pinned
    }
}

/// Every one of my highlights, in the order my profile shows them (pinned ones stay first).
public struct ReorderHighlightsRequest: Codable, Sendable {
    public var highlightIds: [HighlightID]

    public init(highlightIds: [HighlightID]) { self.highlightIds = highlightIds }
}
