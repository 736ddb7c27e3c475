import Foundation

public enum SoundEntity {}
/// A sound: the music of the Take that first used it, which later Takes may reuse.
public typealias SoundID = Identifier<SoundEntity>

/// Portrait when taller than wide, landscape when wider, square otherwise: measured on the file.
public enum TakeOrientation: String, Codable, Sendable, CaseIterable {
    case portrait
    case landscape
    case square
}

/// A Take: a short video post. It is a post (same ID), so reactions, comments, shares and
/// saves go through the posts routes with its `id`; `post` carries them.
public struct Take: Codable, Sendable, Equatable {
    public var id: PostID
    public var post: Post
    /// Measured by ffprobe on the uploaded file.
    public var durationMs: Int
    public var width: Int
    public var height: Int
    public var orientation: TakeOrientation
    /// The frame players show before it plays, as an offset into the video.
    public var coverAtMs: Int
    public var allowRemix: Bool
    public var allowDuet: Bool
    public var sound: TakeSound?
    /// Where in the sound this Take starts.
    public var soundStartMs: Int?
    /// Viewers counted once a day each.
    public var viewCount: Int
    public var hasBehindTheTake: Bool
    /// The template it was made with, crediting its creator.
    public var template: TemplateCredit?
    /// Every trend it takes part in, each linking to its originator and origin Take.
    public var trends: [TrendCredit]
    public var createdAt: Date

    public init(
        id: PostID, post: Post, durationMs: Int, width: Int, height: Int, orientation: TakeOrientation, coverAtMs: Int, allowRemix: Bool,
        allowDuet: Bool, sound: TakeSound?, soundStartMs: Int?, viewCount: Int, hasBehindTheTake: Bool, template: TemplateCredit?,
        trends: [TrendCredit], createdAt: Date
    ) {
        (self.id, self.post, self.durationMs, self.width, self.height) = (id, post, durationMs, width, height)
        (self.orientation, self.coverAtMs, self.allowRemix, self.allowDuet) = (orientation, coverAtMs, allowRemix, allowDuet)
        (self.sound, self.soundStartMs, self.viewCount, self.hasBehindTheTake) = (sound, soundStartMs, viewCount, hasBehindTheTake)
        (self.template, self.trends, self.createdAt) = (template, trends, createdAt)
    }
}

/// A reusable sound and who first used it.
public struct TakeSound: Codable, Sendable, Equatable {
    public var id: SoundID
    public var title: String
    /// Absent when the viewer may not see its creator (blocked, suspended, deleted).
    public var creator: Account?
    public var durationMs: Int
    /// The audio; absent with its creator.
    public var media: MediaAttachment?
    /// Live Takes using it.
    public var useCount: Int

    public init(id: SoundID, title: String, creator: Account?, durationMs: Int, media: MediaAttachment?, useCount: Int) {
        (self.id, self.title, self.creator, self.durationMs, self.media, self.useCount) = (id, title, creator, durationMs, media, useCount)
    }
}

/// The music of a new Take: my own ready audio (which becomes a new sound) or a sound to reuse.
public struct TakeMusicInput: Codable, Sendable {
    public var mediaId: MediaID?
    public var soundId: SoundID?
    /// The new sound's title; only with `media_id`.
    public var title: String?
    public var startMs: Int?

    public init(mediaId: MediaID? = nil, soundId: SoundID? = nil, title: String? = nil, startMs: Int? = nil) {
        (self.mediaId, self.soundId, self.title, self.startMs) = (mediaId, soundId, title, startMs)
    }
}

public struct CreateTakeRequest: Codable, Sendable {
    public var mediaId: MediaID
    public var caption: String?
    public var audience: PostAudience?
    public var commentPolicy: CommentPolicy?
    /// Defaults to 0, the first frame.
    public var coverAtMs: Int?
    public var allowRemix: Bool?
    public var allowDuet: Bool?
    public var music: TakeMusicInput?
    public var templateId: TemplateID?

    public init(
        mediaId: MediaID, caption: String? = nil, audience: PostAudience? = nil, commentPolicy: CommentPolicy? = nil, coverAtMs: Int? = nil,
        allowRemix: Bool? = nil, allowDuet: Bool? = nil, music: TakeMusicInput? = nil, templateId: TemplateID? = nil
    ) {
        (self.mediaId, self.caption, self.audience, self.commentPolicy, self.coverAtMs) = (mediaId, caption, audience, commentPolicy, coverAtMs)
        (self.allowRemix, self.allowDuet, self.music, self.templateId) = (allowRemix, allowDuet, music, templateId)
    }
}

/// Absent fields stay as they are.
public struct UpdateTakeRequest: Codable, Sendable {
    public var caption: String?
    public var audience: PostAudience?
    public var commentPolicy: CommentPolicy?
    public var coverAtMs: Int?
    public var allowRemix: Bool?
    public var allowDuet: Bool?

    public init(
        caption: String? = nil, audience: PostAudience? = nil, commentPolicy: CommentPolicy? = nil, coverAtMs: Int? = nil, allowRemix: Bool? = nil,
        allowDuet: Bool? = nil
    ) {
        (self.caption, self.audience, self.commentPolicy, self.coverAtMs, self.allowRemix, self.allowDuet) =
            (caption, audience, commentPolicy, coverAtMs, allowRemix, allowDuet)
    }
}

/// What a client saw of one Take: how long it played, how much of it, and how many times it
/// started over.
public struct TakeViewReport: Codable, Sendable {
    public var takeId: PostID
    public var watchMs: Int
    /// The furthest point reached, from 0 to 1.
    public var completion: Double
    public var rewatches: Int?

    public init(takeId: PostID, watchMs: Int, completion: Double, rewatches: Int? = nil) {
        (self.takeId, self.watchMs, self.completion, self.rewatches) = (takeId, watchMs, completion, rewatches)
    }
}

public struct TakeViewsRequest: Codable, Sendable {
    public static let maxViews = 50
    public static let maxWatchMs = 3_600_000
    public static let maxRewatches = 100
    public var views: [TakeViewReport]

    public init(views: [TakeViewReport]) { self.views = views }
}

public struct TakeViewsResult: Codable, Sendable, Equatable {
    /// Reports applied; those about my own Takes or Takes I may not see are dropped.
    public var accepted: Int
    /// Of those, first views today, which the view counts gained.
    public var newViews: Int

    public init(accepted: Int, newViews: Int) { (self.accepted, self.newViews) = (accepted, newViews) }
}

/// One Take in the Takes feed and what its place came from (docs/takes.md has the formula).
public struct TakeFeedItem: Codable, Sendable, Equatable {
    public var take: Take
    public var score: Double
    public var completion: Double
    public var rewatch: Double
    public var velocity: Double
    public var affinity: Double
    /// The discovery boost's factor: 0 unless this is the origin Take of a growing trend.
    public var boost: Double

    public init(take: Take, score: Double, completion: Double, rewatch: Double, velocity: Double, affinity: Double, boost: Double) {
        (self.take, self.score, self.completion, self.rewatch, self.velocity, self.affinity, self.boost) =
            (take, score, completion, rewatch, velocity, affinity, boost)
    }
}
