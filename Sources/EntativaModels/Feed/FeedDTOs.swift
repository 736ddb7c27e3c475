/// How a home timeline is ordered: newest first; by engagement (reactions, comments and
/// shares, with a daily decay); or ranked (recency, engagement, the reader's affinity with the
/// author and, once trained, a learned model) — the last two within windows of the newest posts.
public enum HomeOrder: String, Codable, Sendable, CaseIterable {
    case chronological
    case engagement
    case ranked
}

extension HomeOrder: WireEnum {}

/// A page of a home timeline, with how it was ordered.
public struct HomePage: Codable, Sendable {
    public var items: [Post]
    public var nextCursor: String?
    public var ranking: HomeRanking

    public init(items: [Post], nextCursor: String?, ranking: HomeRanking) {
        self.items = items
        self.nextCursor = nextCursor
        self.ranking = ranking
    }

    private enum CodingKeys: String, CodingKey {
        case items, nextCursor, ranking
    }

    // `next_cursor` is always present, `null` on the last page, as in every list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(ranking, forKey: .ranking)
    }
}

/// How a home page was ordered: the order, the weight of each term that scored it, the terms
/// left out (the learned model, until one has been trained) and the version of the model used.
public struct HomeRanking: Codable, Sendable, Equatable {
    public var order: HomeOrder
    public var terms: [String: Double]
    public var leftOut: [String]
    public var modelVersion: Int?

    public init(order: HomeOrder, terms: [String: Double], leftOut: [String], modelVersion: Int? = nil) {
        self.order = order
        self.terms = terms
        self.leftOut = leftOut
        self.modelVersion = modelVersion
    }

    private enum CodingKeys: String, CodingKey {
        case order, terms, leftOut, modelVersion
    }

    // `model_version` is always present, `null` when no model scored the page.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order, forKey: .order)
        try container.encode(terms, forKey: .terms)
        try container.encode(leftOut, forKey: .leftOut)
        try container.encode(modelVersion, forKey: .modelVersion)
    }
}

/// What a client showed its user: a batch of impressions (`POST /api/v1/timelines/impressions`).
public struct RecordImpressionsRequest: Codable, Sendable {
    public static let maxImpressions = 100
    public var impressions: [ImpressionReport]

    public init(impressions: [ImpressionReport]) { self.impressions = impressions }
}

/// Profiles the caller looked at, which count toward their affinity with those accounts.
public struct RecordProfileViewsRequest: Codable, Sendable {
    public static let maxViews = 50
    public var accountIds: [AccountID]

    public init(accountIds: [AccountID]) { self.accountIds = accountIds }
}

/// One post shown, and for how long where the client knows it.
public struct ImpressionReport: Codable, Sendable {
    public static let maxDwellMs = 3_600_000
    public var postId: PostID
    public var dwellMs: Int?

    public init(postId: PostID, dwellMs: Int? = nil) {
        self.postId = postId
        self.dwellMs = dwellMs
    }
}

/// How many impressions of a batch were kept; the rest named posts the caller may not see, or
/// repeated one (its dwell is kept at the longest reported).
public struct ImpressionReceipt: Codable, Sendable, Equatable {
    public var recorded: Int
    public var ignored: Int

    public init(recorded: Int, ignored: Int) {
        self.recorded = recorded
        self.ignored = ignored
    }
}

extension HomePage: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("items"); writer.array(items)
        writer.key("next_cursor")
        if let nextCursor { writer.string(nextCursor) } else { writer.null() }
        writer.key("ranking"); ranking.writeJSON(to: &writer)
        writer.endObject()
    }
}

extension HomeRanking: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("left_out"); writer.array(leftOut)
        writer.key("model_version")
        if let modelVersion { writer.int(modelVersion) } else { writer.null() }
        writer.key("order"); writer.rawValue(order)
        writer.key("terms")
        writer.beginObject()
        for name in terms.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            writer.key(dynamic: name)
            writer.double(terms[name] ?? 0)
        }
        writer.endObject()
        writer.endObject()
    }
}

/// Why explore shows a post: it is trending (engagement per hour since it was published), or
/// it is new and nothing trends more.
public enum ExploreReasonKind: String, Codable, Sendable, CaseIterable {
    case trending
    case new
}

extension ExploreReasonKind: WireEnum {}

public struct ExploreReason: Codable, Sendable, Equatable {
    public var kind: ExploreReasonKind
    /// Reactions + 2 × comments + 3 × shares.
    public var engagement: Int
    /// `engagement` per hour of the post's age (the first hour counting whole).
    public var perHour: Double

    public init(kind: ExploreReasonKind, engagement: Int, perHour: Double) {
        self.kind = kind
        self.engagement = engagement
        self.perHour = perHour
    }
}

/// A post explore shows, and why.
public struct ExploreItem: Codable, Sendable {
    public var post: Post
    public var reason: ExploreReason

    public init(post: Post, reason: ExploreReason) {
        self.post = post
        self.reason = reason
    }
}

/// Why the surprise feed shows a post from outside my network: accounts I follow follow its
/// author, or it uses a hashtag whose use is growing.
public enum SurpriseReasonKind: String, Codable, Sendable, CaseIterable {
    case followedByFollowing = "followed_by_following"
    case growingHashtag = "growing_hashtag"
}

extension SurpriseReasonKind: WireEnum {}

public struct SurpriseReason: Codable, Sendable, Equatable {
    public var kind: SurpriseReasonKind
    /// How many accounts I follow follow the author (`followed_by_following`).
    public var accounts: Int?
    /// The growing hashtag and its growth: posts using it in the last day ÷ the day before, each
    /// plus one (`growing_hashtag`).
    public var hashtag: String?
    public var growth: Double?
    /// Reactions + 2 × comments + 3 × shares.
    public var engagement: Int

    public init(kind: SurpriseReasonKind, accounts: Int? = nil, hashtag: String? = nil, growth: Double? = nil, engagement: Int) {
        self.kind = kind
        self.accounts = accounts
        self.hashtag = hashtag
        self.growth = growth
        self.engagement = engagement
    }
}

/// A post the surprise feed shows, and why.
public struct SurpriseItem: Codable, Sendable {
    public var post: Post
    public var reason: SurpriseReason

    public init(post: Post, reason: SurpriseReason) {
        self.post = post
        self.reason = reason
    }
}
