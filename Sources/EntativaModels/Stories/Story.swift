import Foundation

public enum StoryEntity {}
public typealias StoryID = Identifier<StoryEntity>

/// One of my stories once it has left the 24-hour tray: what the archive lists.
public struct ArchivedStory: Codable, Sendable, Equatable {
    public var id: StoryID
    public var caption: String
    public var createdAt: Date
    /// When it left the tray (24 hours after `created_at` unless the owner chose otherwise).
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
