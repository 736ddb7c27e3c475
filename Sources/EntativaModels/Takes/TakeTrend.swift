import Foundation

public enum TrendEntity {}
public typealias TrendID = Identifier<TrendEntity>

/// What a trend gathers Takes around.
public enum TrendKind: String, Codable, Sendable, CaseIterable {
    /// A hashtag challenge; its key is the tag, lowercased, without `#`.
    case hashtag
    /// A reused sound; its key is the sound's ID.
    case sound
    /// A reused template; its key is the template's ID.
    case template
}

/// A trend a Take takes part in, linking back to whoever started it.
public struct TrendCredit: Codable, Sendable, Equatable {
    public var trendId: TrendID
    public var kind: TrendKind
    public var key: String
    /// The account whose Take used it first; absent when the viewer may not see it.
    public var originator: Account?
    /// Absent when the origin Take is deleted or the viewer may not see it; the credit stays.
    public var originTakeId: PostID?
    /// Whether this Take is the origin Take.
    public var isOrigin: Bool

    public init(trendId: TrendID, kind: TrendKind, key: String, originator: Account?, originTakeId: PostID?, isOrigin: Bool) {
        (self.trendId, self.kind, self.key, self.originator, self.originTakeId, self.isOrigin) = (trendId, kind, key, originator, originTakeId, isOrigin)
    }
}

/// A trend's page: who started it, with what, how many joined, and how fast it grows.
public struct TakeTrend: Codable, Sendable, Equatable {
    public var id: TrendID
    public var kind: TrendKind
    public var key: String
    public var originator: Account?
    public var originTake: Take?
    /// Distinct creators with a live Take in it.
    public var participants: Int
    public var takes: Int
    /// Creators who joined in the last hour, the hour before, the last day and the day before,
    /// as of `computed_at`.
    public var joinsLastHour: Int
    public var joinsPreviousHour: Int
    public var joinsLastDay: Int
    public var joinsPreviousDay: Int
    /// Percent change of the last hour's joins over the hour before's; absent when that was 0.
    public var growthPerHourPercent: Double?
    public var growthPerDayPercent: Double?
    /// At least as many joins in the last day as in the day before, and some: the boost applies.
    public var growing: Bool
    public var startedAt: Date
    /// When the detection job last counted it; absent before its first run.
    public var computedAt: Date?

    public init(
        id: TrendID, kind: TrendKind, key: String, originator: Account?, originTake: Take?, participants: Int, takes: Int, joinsLastHour: Int,
        joinsPreviousHour: Int, joinsLastDay: Int, joinsPreviousDay: Int, growthPerHourPercent: Double?, growthPerDayPercent: Double?,
        growing: Bool, startedAt: Date, computedAt: Date?
    ) {
        (self.id, self.kind, self.key, self.originator, self.originTake) = (id, kind, key, originator, originTake)
        (self.participants, self.takes, self.joinsLastHour, self.joinsPreviousHour) = (participants, takes, joinsLastHour, joinsPreviousHour)
        (self.joinsLastDay, self.joinsPreviousDay, self.growthPerHourPercent, self.growthPerDayPercent) =
            (joinsLastDay, joinsPreviousDay, growthPerHourPercent, growthPerDayPercent)
        (self.growing, self.startedAt, self.computedAt) = (growing, startedAt, computedAt)
    }
}
