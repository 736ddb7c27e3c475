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

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
        if let limit = try reader.integer("ENTATIVA_SEARCH_SCAN_LIMIT", in: 100...100_000) { scanLimit = limit }
        if let count = try reader.integer("ENTATIVA_SEARCH_RANKED_CANDIDATES", in: 20...5_000) { rankedCandidates = count }
    }

    /// Search's part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        ["max_search_query": Double(maxQuery), "max_search_ranked_results": Double(rankedCandidates)]
    }
}
