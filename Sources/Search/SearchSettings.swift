import EntativaCore

/// The search domain's settings.
public struct SearchSettings: ModuleSettings {
    /// The longest query, in Unicode scalars.
    public var maxQuery = 200
    /// How many index candidates one post or Take page may look at before answering with what
    /// it found and a cursor: a search whose hits are mostly hidden from the searcher stays
    /// bounded.
    public var scanLimit = 1_000
    /// Accounts and hashtags are ranked among this many candidates; their pages go no further.
    public var rankedCandidates = 200
    /// Trending hashtags: how often they are counted, over what window (compared with the one
    /// before), how many distinct accounts and uses a tag needs, and the half-life of a use.
    public var trendInterval: Duration = .seconds(300)
    public var trendWindowHours = 24
    public var trendMinAccounts = 3
    public var trendMinUses = 3
    public var trendHalfLifeHours = 6.0
    public var maxTrends = 50

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
        if let limit = try reader.integer("ENTATIVA_SEARCH_SCAN_LIMIT", in: 100...100_000) { scanLimit = limit }
        if let count = try reader.integer("ENTATIVA_SEARCH_RANKED_CANDIDATES", in: 20...5_000) { rankedCandidates = count }
        if let seconds = try reader.integer("ENTATIVA_TREND_INTERVAL_SECONDS", in: 10...86_400) { trendInterval = .seconds(seconds) }
        if let hours = try reader.integer("ENTATIVA_TREND_WINDOW_HOURS", in: 1...168) { trendWindowHours = hours }
        if let accounts = try reader.integer("ENTATIVA_TREND_MIN_ACCOUNTS", in: 1...1_000_000) { trendMinAccounts = accounts }
        if let uses = try reader.integer("ENTATIVA_TREND_MIN_USES", in: 1...1_000_000) { trendMinUses = uses }
    }

    /// Search's part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        ["max_search_query": Double(maxQuery), "max_search_ranked_results": Double(rankedCandidates)]
    }
}
