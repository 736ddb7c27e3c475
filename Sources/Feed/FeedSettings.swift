import EntativaCore

/// The feed's settings: when an author's posts are pushed into homes and when they are pulled.
public struct FeedSettings: ModuleSettings {
    /// Authors with at least this many followers and friends are not fanned out: their posts
    /// are merged into each reader's home when it is read (`ENTATIVA_FEED_FANOUT_THRESHOLD`;
    /// 0 pulls everyone, which is what the fan-out = pull test compares against).
    public var fanOutThreshold = 10_000
    /// How many of an account's newest posts a new follow or friendship copies into the
    /// follower's home (`ENTATIVA_FEED_BACKFILL_POSTS`).
    public var backfillPosts = 40
    /// Homes written per statement during a fan-out.
    public var fanOutBatch = 500
    /// The ranked order's weights (`ENTATIVA_FEED_RANKING_WEIGHTS`,
    /// `recency=0.4,engagement=0.3,affinity=0.2,model=0.1`).
    public var rankingWeights = RankingWeights()
    /// How often the engagement model is trained (`ENTATIVA_FEED_MODEL_TRAINING_HOURS`).
    public var modelTrainingHours = 24
    /// The fewest labelled impressions a model is trained on (`ENTATIVA_FEED_MODEL_MIN_SAMPLES`).
    public var modelMinSamples = 200
    /// The most, newest first (`ENTATIVA_FEED_MODEL_MAX_SAMPLES`): training holds them in memory.
    public var modelMaxSamples = 200_000

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
        if let threshold = try reader.integer("ENTATIVA_FEED_FANOUT_THRESHOLD", in: 0...100_000_000) { fanOutThreshold = threshold }
        if let backfill = try reader.integer("ENTATIVA_FEED_BACKFILL_POSTS", in: 0...1_000) { backfillPosts = backfill }
        if let hours = try reader.integer("ENTATIVA_FEED_MODEL_TRAINING_HOURS", in: 1...720) { modelTrainingHours = hours }
        if let minimum = try reader.integer("ENTATIVA_FEED_MODEL_MIN_SAMPLES", in: 10...1_000_000) { modelMinSamples = minimum }
        if let maximum = try reader.integer("ENTATIVA_FEED_MODEL_MAX_SAMPLES", in: 100...5_000_000) { modelMaxSamples = maximum }
        if let weights = try reader.value("ENTATIVA_FEED_RANKING_WEIGHTS", { RankingWeights($0) }) { rankingWeights = weights }
    }
}
