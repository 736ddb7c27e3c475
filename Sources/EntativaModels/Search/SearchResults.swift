import Foundation

/// The sections a search can answer with.
public enum SearchSection: String, Codable, Sendable, CaseIterable {
    case accounts
    case posts
    case takes
    case hashtags
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

/// One answer of the search box: a page per section asked for; a section not asked for is absent.
public struct SearchResults: Codable, Sendable {
    public var accounts: Page<Account>?
    public var posts: Page<Post>?
    public var takes: Page<Take>?
    public var hashtags: Page<HashtagHit>?

    public init(accounts: Page<Account>? = nil, posts: Page<Post>? = nil, takes: Page<Take>? = nil, hashtags: Page<HashtagHit>? = nil) {
        (self.accounts, self.posts, self.takes, self.hashtags) = (accounts, posts, takes, hashtags)
    }
}

/// What the search box suggests while a word is typed.
public struct AutocompleteResults: Codable, Sendable {
    public var accounts: [Account]
    public var hashtags: [HashtagHit]

    public init(accounts: [Account], hashtags: [HashtagHit]) {
        (self.accounts, self.hashtags) = (accounts, hashtags)
    }
}
