import Foundation

/// The sections a search can answer with.
public enum SearchSection: String, Codable, Sendable, CaseIterable {
    case accounts
    case posts
    case takes
    case hashtags
    case places
}

/// A hashtag as search finds it: its name and how much public content uses it.
public struct HashtagHit: Codable, Sendable, Equatable {
    /// Without `#`, as the first public post that used it wrote it (normalised).
    public var name: String
    /// Public posts by public accounts using it.
    public var uses: Int
    public var lastUsedAt: Date

    public init(name: String, uses: Int, lastUsedAt: Date) {
        (self.name, self.uses, self.lastUsedAt) = (name, uses, lastUsedAt)
    }
}

public enum PlaceEntity {}
public typealias PlaceID = Identifier<PlaceEntity>

/// A named location public posts were made at.
public struct PlaceHit: Codable, Sendable, Equatable {
    public var id: PlaceID
    public var name: String
    public var latitude: Double
    public var longitude: Double
    /// Public posts by public accounts made there.
    public var uses: Int
    /// From the point the search was made around, when it gave one.
    public var distanceKm: Double?

    public init(id: PlaceID, name: String, latitude: Double, longitude: Double, uses: Int, distanceKm: Double?) {
        (self.id, self.name, self.latitude, self.longitude, self.uses, self.distanceKm) = (id, name, latitude, longitude, uses, distanceKm)
    }
}

/// One answer of the search box: a page per section asked for; a section not asked for is absent.
public struct SearchResults: Codable, Sendable {
    public var accounts: Page<Account>?
    public var posts: Page<Post>?
    public var takes: Page<Take>?
    public var hashtags: Page<HashtagHit>?
    public var places: Page<PlaceHit>?

    public init(
        accounts: Page<Account>? = nil, posts: Page<Post>? = nil, takes: Page<Take>? = nil, hashtags: Page<HashtagHit>? = nil, places: Page<PlaceHit>? = nil
    ) {
        (self.accounts, self.posts, self.takes, self.hashtags, self.places) = (accounts, posts, takes, hashtags, places)
    }
}

/// What the search box suggests while a word is typed.
public struct AutocompleteResults: Codable, Sendable {
    public var accounts: [Account]
    public var hashtags: [HashtagHit]
    public var places: [PlaceHit]

    public init(accounts: [Account], hashtags: [HashtagHit], places: [PlaceHit] = []) {
        (self.accounts, self.hashtags, self.places) = (accounts, hashtags, places)
    }
}

/// A trending hashtag: how much public use it had in the window, by how many accounts, and how
/// that compares with the window before.
public struct HashtagTrend: Codable, Sendable, Equatable {
    public var rank: Int
    public var name: String
    public var uses: Int
    public var accounts: Int
    public var previousUses: Int
    /// 100 · ((uses + 1) ÷ (previous uses + 1) − 1).
    public var growthPercent: Double
    public var score: Double
    public var computedAt: Date

    public init(rank: Int, name: String, uses: Int, accounts: Int, previousUses: Int, growthPercent: Double, score: Double, computedAt: Date) {
        (self.rank, self.name, self.uses, self.accounts) = (rank, name, uses, accounts)
        (self.previousUses, self.growthPercent, self.score, self.computedAt) = (previousUses, growthPercent, score, computedAt)
    }
}

/// A hashtag that public posts use together with another.
public struct RelatedHashtag: Codable, Sendable, Equatable {
    public var name: String
    /// Public posts using both, among the other's newest.
    public var together: Int
    /// together ÷ √(uses of one × uses of the other): 1 when they always go together.
    public var score: Double

    public init(name: String, together: Int, score: Double) {
        (self.name, self.together, self.score) = (name, together, score)
    }
}

public enum SearchHistoryEntity {}
public typealias SearchHistoryID = Identifier<SearchHistoryEntity>

/// A query I searched.
public struct SearchHistoryEntry: Codable, Sendable, Equatable {
    public var id: SearchHistoryID
    public var query: String
    public var createdAt: Date

    public init(id: SearchHistoryID, query: String, createdAt: Date) {
        (self.id, self.query, self.createdAt) = (id, query, createdAt)
    }
}

/// Whether my searches are remembered.
public struct SearchHistorySettings: Codable, Sendable, Equatable {
    public var enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }
}

/// How often a query was searched, and how often it found nothing, for administrators.
public struct SearchQueryStat: Codable, Sendable, Equatable {
    /// Folded: lower case, no accents, single spaces.
    public var query: String
    public var searches: Int
    public var zeroResults: Int

    public init(query: String, searches: Int, zeroResults: Int) {
        (self.query, self.searches, self.zeroResults) = (query, searches, zeroResults)
    }
}
