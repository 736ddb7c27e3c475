import EntativaModels
import Foundation

extension EntativaClient {
    /// Posts a story of one ready image or video of mine.
    public func postStory(_ form: CreateStoryRequest, idempotencyKey: String? = nil) async throws -> Story {
        try await send("POST", "/api/v1/stories", body: form, idempotencyKey: idempotencyKey)
    }

    public func story(_ id: StoryID) async throws -> Story {
        try await send("GET", "/api/v1/stories/\(id)", auth: .optional)
    }

    /// Deletes my story, live or archived.
    public func deleteStory(_ id: StoryID) async throws {
        _ = try await send("DELETE", "/api/v1/stories/\(id)", as: Empty.self)
    }

    /// Whose stories I may watch now: mine, then unseen, then the rest.
    public func storyTray(cursor: String? = nil, limit: Int? = nil) async throws -> Page<StoryTrayItem> {
        try await send("GET", "/api/v1/stories/tray", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// An account's stories that I may watch now, in the order they play.
    public func stories(of account: AccountID) async throws -> Page<Story> {
        try await send("GET", "/api/v1/accounts/\(account)/stories", auth: .optional)
    }

    /// Marks a story seen; again changes nothing.
    public func markStorySeen(_ id: StoryID) async throws {
        _ = try await send("POST", "/api/v1/stories/\(id)/views", as: Empty.self)
    }

    /// Who saw my story, newest first.
    public func storyViewers(_ id: StoryID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<StoryViewer> {
        try await send("GET", "/api/v1/stories/\(id)/viewers", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// My stories that have left the tray, newest first.
    public func storyArchive(cursor: String? = nil, limit: Int? = nil) async throws -> Page<ArchivedStory> {
        try await send("GET", "/api/v1/stories/archive", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Answers a sticker on a story I may watch: an option, a slider value, a text, or nothing to
    /// subscribe to a countdown. Answers the sticker as I now see it.
    public func respond(to sticker: StickerID, on story: StoryID, _ answer: StickerResponseRequest = StickerResponseRequest()) async throws -> StorySticker {
        try await send("POST", "/api/v1/stories/\(story)/stickers/\(sticker)/responses", body: answer)
    }

    /// Who answered a sticker on my story, and what, newest first.
    public func stickerResponses(_ sticker: StickerID, on story: StoryID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<StickerResponse> {
        try await send("GET", "/api/v1/stories/\(story)/stickers/\(sticker)/responses", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Keeps some of my stories, live or archived, on my profile.
    public func createHighlight(_ form: CreateHighlightRequest) async throws -> Highlight {
        try await send("POST", "/api/v1/highlights", body: form)
    }

    /// A highlight with the stories I may watch.
    public func highlight(_ id: HighlightID) async throws -> Highlight {
        try await send("GET", "/api/v1/highlights/\(id)", auth: .optional)
    }

    public func updateHighlight(_ id: HighlightID, _ changes: UpdateHighlightRequest) async throws -> Highlight {
        try await send("PATCH", "/api/v1/highlights/\(id)", body: changes)
    }

    public func deleteHighlight(_ id: HighlightID) async throws {
        _ = try await send("DELETE", "/api/v1/highlights/\(id)", as: Empty.self)
    }

    /// Puts all my highlights in the order given.
    public func reorderHighlights(_ ids: [HighlightID]) async throws -> Page<Highlight> {
        try await send("PUT", "/api/v1/highlights/order", body: ReorderHighlightsRequest(highlightIds: ids))
    }

    /// An account's highlights as its profile shows them.
    public func highlights(of account: AccountID) async throws -> Page<Highlight> {
        try await send("GET", "/api/v1/accounts/\(account)/highlights", auth: .optional)
    }

    /// Reports taps forward, back and exits; answers how many were counted.
    public func reportStoryNavigation(_ events: [StoryNavigationEvent]) async throws -> StoryNavigationResult {
        try await send("POST", "/api/v1/stories/navigation", body: StoryNavigationRequest(events: events))
    }

    /// My story's numbers.
    public func storyInsights(_ id: StoryID) async throws -> StoryInsights {
        try await send("GET", "/api/v1/stories/\(id)/insights")
    }

    /// Replies to a story with envelopes already encrypted for its author's devices (and my
    /// others), as device `deviceID`; the envelopes name the story.
    public func replyToStory(_ id: StoryID, envelopes: [OutgoingEnvelope], deviceID: Int, deviceSecret: String, idempotencyKey: String? = nil) async throws
        -> SentMessage
    {
        try await send(
            "POST", "/api/v1/stories/\(id)/replies", body: StoryReplyRequest(envelopes: envelopes), idempotencyKey: idempotencyKey,
            headers: Self.deviceHeaders(deviceID, deviceSecret))
    }
}
