import Foundation

/// What a viewer did while watching: tapped to the next story, back to the previous, or left.
public enum StoryNavigationAction: String, Codable, Sendable, CaseIterable {
    case forward
    case back
    case exit
}

public struct StoryNavigationEvent: Codable, Sendable, Equatable {
    public var storyId: StoryID
    public var action: StoryNavigationAction

    public init(storyId: StoryID, action: StoryNavigationAction) {
        self.storyId = storyId
        self.action = action
    }
}

/// `POST /api/v1/stories/navigation`: what the client saw happen since it last reported.
public struct StoryNavigationRequest: Codable, Sendable {
    public static let maxEvents = 100
    public var events: [StoryNavigationEvent]

    public init(events: [StoryNavigationEvent]) { self.events = events }
}

public struct StoryNavigationResult: Codable, Sendable, Equatable {
    /// Events counted; the rest named stories the caller may not watch now, or their own.
    public var accepted: Int

    public init(accepted: Int) { self.accepted = accepted }
}

/// A story's numbers, for its author.
public struct StoryInsights: Codable, Sendable, Equatable {
    public var storyId: StoryID
    /// Every view, a viewer's repeats included (up to 10 each).
    public var totalViews: Int
    public var uniqueViewers: Int
    /// Followers (Vignette) or friends (Entativa) when the story was posted.
    public var audienceSize: Int
    /// Unique viewers ÷ audience size × 100, one decimal; nil when the audience was empty.
    public var reachPercent: Double?
    /// (Sticker answers + replies) ÷ unique viewers × 100, one decimal; nil without viewers.
    public var interactionRatePercent: Double?
    /// The start of the clock hour (UTC) with the most first views; nil without views.
    public var peakHour: Date?
    public var peakHourViews: Int
    /// Answers per sticker kind that the story carries.
    public var stickerInteractions: [String: Int]
    public var replies: Int
    public var tapsForward: Int
    public var tapsBack: Int
    public var exits: Int

    public init(
        storyId: StoryID, totalViews: Int, uniqueViewers: Int, audienceSize: Int, reachPercent: Double?, interactionRatePercent: Double?,
        peakHour: Date?, peakHourViews: Int, stickerInteractions: [String: Int], replies: Int, tapsForward: Int, tapsBack: Int, exits: Int
    ) {
        self.storyId = storyId
        self.totalViews = totalViews
        self.uniqueViewers = uniqueViewers
        self.audienceSize = audienceSize
        self.reachPercent = reachPercent
        self.interactionRatePercent = interactionRatePercent
        self.peakHour = peakHour
        self.peakHourViews = peakHourViews
        self.stickerInteractions = stickerInteractions
        self.replies = replies
        self.tapsForward = tapsForward
        self.tapsBack = tapsBack
        self.exits = exits
    }
}

/// `POST /api/v1/stories/{id}/replies`: an encrypted direct message to the story's author, one
/// envelope per device as `/api/v1/messages` takes them.
public struct StoryReplyRequest: Codable, Sendable {
    public var envelopes: [OutgoingEnvelope]

    public init(envelopes: [OutgoingEnvelope]) { self.envelopes = envelopes }
}
