import Foundation

/// One step of how a Take was made.
public struct BehindTheTakeStep: Codable, Sendable, Equatable {
    public var text: String
    public var media: MediaAttachment?

    public init(text: String, media: MediaAttachment?) { (self.text, self.media) = (text, media) }
}

/// How a Take was made, by its author: steps, gear, software, tips and behind-the-scenes media.
public struct BehindTheTake: Codable, Sendable, Equatable {
    public var takeId: PostID
    public var steps: [BehindTheTakeStep]
    public var equipment: [String]
    public var software: [String]
    public var tips: [String]
    public var media: [MediaAttachment]
    /// Viewers counted once each.
    public var viewCount: Int
    public var savedCount: Int
    /// Whether I saved it to learn from; absent when signed out.
    public var saved: Bool?
    public var updatedAt: Date

    public init(
        takeId: PostID, steps: [BehindTheTakeStep], equipment: [String], software: [String], tips: [String], media: [MediaAttachment],
        viewCount: Int, savedCount: Int, saved: Bool?, updatedAt: Date
    ) {
        (self.takeId, self.steps, self.equipment, self.software, self.tips, self.media) = (takeId, steps, equipment, software, tips, media)
        (self.viewCount, self.savedCount, self.saved, self.updatedAt) = (viewCount, savedCount, saved, updatedAt)
    }
}

public struct BehindTheTakeStepInput: Codable, Sendable {
    public var text: String
    public var mediaId: MediaID?

    public init(text: String, mediaId: MediaID? = nil) { (self.text, self.mediaId) = (text, mediaId) }
}

/// Replaces a Take's Behind-the-Take as a whole.
public struct BehindTheTakeRequest: Codable, Sendable {
    public static let maxSteps = 30
    public static let maxStepText = 1_000
    public static let maxListItems = 20
    public static let maxItemText = 200
    public static let maxMedia = 10
    public var steps: [BehindTheTakeStepInput]
    public var equipment: [String]?
    public var software: [String]?
    public var tips: [String]?
    public var mediaIds: [MediaID]?

    public init(
        steps: [BehindTheTakeStepInput], equipment: [String]? = nil, software: [String]? = nil, tips: [String]? = nil, mediaIds: [MediaID]? = nil
    ) {
        (self.steps, self.equipment, self.software, self.tips, self.mediaIds) = (steps, equipment, software, tips, mediaIds)
    }
}
