import EntativaCore
import EntativaModels
import Foundation

/// The Takes domain's settings.
public struct TakesSettings: ModuleSettings {
    /// A Take's length bounds, measured by ffprobe. Durations up to `durationSlackMillis` past
    /// the upper bound count as on it: containers pad audio by a few tens of milliseconds.
    public var minDurationMillis = 15_000
    public var maxDurationMillis = 90_000
    public var durationSlackMillis = 250
    public var maxCaption = 2_200
    public var maxSoundTitle = 100
    /// How far back the Takes feed looks, and how many of the newest Takes it ranks at once.
    public var feedHorizon: Duration = .seconds(14 * 24 * 3600)
    public var feedWindow = 1_000
    /// The feed's weights (docs/takes.md): completion, rewatches, engagement velocity, affinity.
    public var weights = TakeFeedWeights()
    /// The discovery boost of a growing trend's origin Take: its score is multiplied by
    /// 1 + `trendBoost` × min(1, joins in the last day ÷ `trendBoostSaturation`).
    public var trendBoost = 0.5
    public var trendBoostSaturation = 50
    /// How often trend detection counts joins, and how many distinct creators make a trend list.
    public var trendInterval: Duration = .seconds(300)
    public var trendMinCreators = 3

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
        if let days = try reader.integer("ENTATIVA_TAKES_FEED_HORIZON_DAYS", in: 1...365) { feedHorizon = .seconds(days * 24 * 3600) }
        if let window = try reader.integer("ENTATIVA_TAKES_FEED_WINDOW", in: 50...10_000) { feedWindow = window }
        if let weights = try reader.value("ENTATIVA_TAKES_FEED_WEIGHTS", { TakeFeedWeights(parsing: $0) }) { self.weights = weights }
        if let percent = try reader.integer("ENTATIVA_TAKES_TREND_BOOST_PERCENT", in: 0...500) { trendBoost = Double(percent) / 100 }
        if let saturation = try reader.integer("ENTATIVA_TAKES_TREND_BOOST_SATURATION", in: 1...1_000_000) { trendBoostSaturation = saturation }
        if let seconds = try reader.integer("ENTATIVA_TAKES_TREND_INTERVAL_SECONDS", in: 10...86_400) { trendInterval = .seconds(seconds) }
        if let minimum = try reader.integer("ENTATIVA_TAKES_TREND_MIN_CREATORS", in: 1...1_000) { trendMinCreators = minimum }
    }

    /// The Takes' part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        [
            "take_min_duration_seconds": Double(minDurationMillis) / 1000,
            "take_max_duration_seconds": Double(maxDurationMillis) / 1000,
            "max_take_caption": Double(maxCaption),
            "max_take_views_per_report": Double(TakeViewsRequest.maxViews),
        ]
    }
}

/// How much each signal counts in the Takes feed.
public struct TakeFeedWeights: Sendable, Equatable {
    public var completion = 0.35
    public var rewatch = 0.15
    public var velocity = 0.3
    public var affinity = 0.2

    public init() {}

    /// `completion=0.35,rewatch=0.15,velocity=0.3,affinity=0.2`; names left out keep their defaults.
    public init?(parsing text: String) {
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite, (0...10).contains(value) else { return nil }
            switch parts[0] {
            case "completion": completion = value
            case "rewatch": rewatch = value
            case "velocity": velocity = value
            case "affinity": affinity = value
            default: return nil
            }
        }
    }
}
