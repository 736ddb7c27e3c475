import Foundation

public enum StickerEntity {}
public typealias StickerID = Identifier<StickerEntity>

/// The interactive sticker kinds. The sixth of the product's kinds is three: a mention, a
/// location and a music track are placed the same way and answer nothing.
public enum StickerKind: String, Codable, Sendable, CaseIterable {
    case poll
    case quiz
    case question
    case countdown
    case emojiSlider = "emoji_slider"
    case mention
    case location
    case music

    /// Whether viewers respond to it.
    public var isInteractive: Bool { [.poll, .quiz, .question, .countdown, .emojiSlider].contains(self) }
}

/// Where a sticker sits on the story: the centre as fractions of the width and height, a scale
/// and a rotation in degrees.
public struct StickerPlacement: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var scale: Double
    public var rotation: Double

    public init(x: Double, y: Double, scale: Double = 1, rotation: Double = 0) {
        self.x = x
        self.y = y
        self.scale = scale
        self.rotation = rotation
    }
}

/// A place a location sticker names.
public struct StickerLocation: Codable, Sendable, Equatable {
    public var name: String
    public var latitude: Double
    public var longitude: Double

    public init(name: String, latitude: Double, longitude: Double) {
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// One sticker as its author places it. Which fields a kind takes:
/// - poll: `question`, 2–4 `options`;
/// - quiz: `question`, 2–4 `options`, `correct_option`;
/// - question: `question` (the prompt);
/// - countdown: `title`, `ends_at`;
/// - emoji slider: `emoji`, and an optional `question`;
/// - mention: `account_id`; location: `location`; music: `media_id` (my ready audio) and `start_seconds`.
public struct StickerInput: Codable, Sendable {
    public var kind: StickerKind
    public var placement: StickerPlacement
    public var question: String?
    public var options: [String]?
    public var correctOption: Int?
    public var title: String?
    public var endsAt: Date?
    public var emoji: String?
    public var accountId: AccountID?
    public var location: StickerLocation?
    public var mediaId: MediaID?
    public var startSeconds: Double?

    public init(
        kind: StickerKind, placement: StickerPlacement, question: String? = nil, options: [String]? = nil, correctOption: Int? = nil,
        title: String? = nil, endsAt: Date? = nil, emoji: String? = nil, accountId: AccountID? = nil, location: StickerLocation? = nil,
        mediaId: MediaID? = nil, startSeconds: Double? = nil
    ) {
        self.kind = kind
        self.placement = placement
        self.question = question
        self.options = options
        self.correctOption = correctOption
        self.title = title
        self.endsAt = endsAt
        self.emoji = emoji
        self.accountId = accountId
        self.location = location
        self.mediaId = mediaId
        self.startSeconds = startSeconds
    }
}

/// A sticker as one viewer sees it, with the aggregates its kind shows them.
public struct StorySticker: Codable, Sendable, Equatable {
    public var id: StickerID
    public var kind: StickerKind
    public var placement: StickerPlacement
    public var question: String?
    public var options: [String]?
    /// A quiz's answer: shown to its author, and to a viewer once they have answered.
    public var correctOption: Int?
    public var title: String?
    public var endsAt: Date?
    public var emoji: String?
    public var mention: StickerMention?
    public var location: StickerLocation?
    public var music: MediaAttachment?
    public var startSeconds: Double?
    /// For interactive kinds: what the viewer may see of everyone's answers, and their own.
    public var results: StickerResults?

    public init(
        id: StickerID, kind: StickerKind, placement: StickerPlacement, question: String?, options: [String]?, correctOption: Int?,
        title: String?, endsAt: Date?, emoji: String?, mention: StickerMention?, location: StickerLocation?, music: MediaAttachment?,
        startSeconds: Double?, results: StickerResults?
    ) {
        self.id = id
        self.kind = kind
        self.placement = placement
        self.question = question
        self.options = options
        self.correctOption = correctOption
        self.title = title
        self.endsAt = endsAt
        self.emoji = emoji
        self.mention = mention
        self.location = location
        self.music = music
        self.startSeconds = startSeconds
        self.results = results
    }
}

public struct StickerMention: Codable, Sendable, Equatable {
    public var id: AccountID
    public var username: String

    public init(id: AccountID, username: String) {
        self.id = id
        self.username = username
    }
}

/// Aggregates as a kind shows them: a poll's and a quiz's votes per option (and percentages), a
/// quiz's right answers, a slider's average, a countdown's subscribers. A question shows viewers
/// nothing but whether they answered.
public struct StickerResults: Codable, Sendable, Equatable {
    public var total: Int
    public var counts: [Int]?
    /// Whole percentages per option, rounded so they add up to 100 (when anyone voted).
    public var percentages: [Int]?
    public var correctCount: Int?
    public var average: Double?
    public var mine: StickerAnswer?

    public init(total: Int, counts: [Int]? = nil, percentages: [Int]? = nil, correctCount: Int? = nil, average: Double? = nil, mine: StickerAnswer? = nil) {
        self.total = total
        self.counts = counts
        self.percentages = percentages
        self.correctCount = correctCount
        self.average = average
        self.mine = mine
    }
}

/// One viewer's answer: an option (poll, quiz), a value (slider), a text (question), or a
/// subscription (countdown).
public struct StickerAnswer: Codable, Sendable, Equatable {
    public var option: Int?
    public var value: Int?
    public var text: String?
    /// For a quiz.
    public var correct: Bool?

    public init(option: Int? = nil, value: Int? = nil, text: String? = nil, correct: Bool? = nil) {
        self.option = option
        self.value = value
        self.text = text
        self.correct = correct
    }
}

/// `POST /api/v1/stories/{id}/stickers/{sticker_id}/responses`: `option` for a poll or a quiz,
/// `value` (0–100) for a slider, `text` for a question, nothing for a countdown (subscribing).
public struct StickerResponseRequest: Codable, Sendable {
    public var option: Int?
    public var value: Int?
    public var text: String?

    public init(option: Int? = nil, value: Int? = nil, text: String? = nil) {
        self.option = option
        self.value = value
        self.text = text
    }
}

/// Who answered what, for the story's author only.
public struct StickerResponse: Codable, Sendable, Equatable {
    public var account: Account
    public var answer: StickerAnswer
    public var respondedAt: Date

    public init(account: Account, answer: StickerAnswer, respondedAt: Date) {
        self.account = account
        self.answer = answer
        self.respondedAt = respondedAt
    }
}
