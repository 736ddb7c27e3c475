import EntativaCore
import EntativaModels

public struct SeededStory: Sendable {
    public var id: StoryID
    public var author: AccountID
    public var createdAt: Int64

    public init(id: StoryID, author: AccountID, createdAt: Int64) {
        self.id = id
        self.author = author
        self.createdAt = createdAt
    }
}

public struct SeededStoryView: Sendable {
    public var id: Int64
    public var story: StoryID
    public var viewer: AccountID
    public var at: Int64

    public init(id: Int64, story: StoryID, viewer: AccountID, at: Int64) {
        self.id = id
        self.story = story
        self.viewer = viewer
        self.at = at
    }
}

/// Writes public stories and views in bulk, bypassing posting's checks: for benchmarks on a
/// database no one else uses. Every seeded story shows the same ready media item, which stays
/// attached to nothing (a story posted through the API attaches its own).
public struct StorySeeding: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    public func nextID() -> StoryID { env.kernel.ids.next(StoryID.self) }
    public func nextViewID() -> Int64 { env.kernel.ids.next() }

    public func insert(_ stories: [SeededStory], showing media: MediaID) async throws {
        let lifetime = env.settings.lifetime.milliseconds
        try await BulkWrite.run(stories, on: env.database) { StorySeedStore.insertStories($0, media: media, lifetime: lifetime) }
    }

    public func insert(_ views: [SeededStoryView]) async throws {
        try await BulkWrite.run(views, on: env.database) { StorySeedStore.insertViews($0) }
    }
}
