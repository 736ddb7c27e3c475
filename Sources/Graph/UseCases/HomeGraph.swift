import EntativaCore
import EntativaModels

/// Whose posts reach whose home timeline: an account's home follows the accounts it follows
/// and, on Entativa, its friends, less those it muted. Blocks are left to the posts'
/// visibility rule, which every read applies; a block also ends the follows and friendships.
public struct HomeGraph: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    /// The accounts whose posts `viewer`'s home shows, muted ones left out. Following has no
    /// cap, so this may be thousands of accounts; everything that takes them works in chunks.
    public func sources(of viewer: AccountID) async throws -> Set<AccountID> {
        try await env.caches.homeSources(of: viewer).accounts
    }

    /// `sources(of:)` with a version that changes whenever any edge of `viewer`'s changed
    /// (a follow, friendship, mute or block either way, a close-friend listing), for callers
    /// that keep something derived from how `viewer` stands with others.
    public func versionedSources(of viewer: AccountID) async throws -> HomeSources {
        try await env.caches.homeSources(of: viewer)
    }

    /// Close friends and mutual follows, less muted ones: whose posts a Vignette circle feed shows.
    public func circle(of viewer: AccountID) async throws -> [AccountID] {
        try await HomeEdgeStore.circle(of: viewer, on: env.database.sql)
    }

    /// Accounts outside `viewer`'s network that accounts `viewer` follows follow, with how many
    /// do, most first: never followed, befriended, requested, muted, blocked either way or `viewer`.
    public func secondDegree(of viewer: AccountID) async throws -> [(account: AccountID, followedBy: Int)] {
        let walked = try await SuggestionStore.coFollowed(by: viewer, limit: Suggestions.candidates, on: env.database.sql)
        let edges = try await env.caches.edges(of: viewer, with: walked.map(\.0))
        let excluded: PairEdges = [.following, .requested, .friends, .blocking, .blockedBy, .muting]
        return walked.filter { edges[$0.0].map { $0.isDisjoint(with: excluded) } ?? true }.map { ($0.0, $0.1) }
    }

    /// One page of the accounts whose homes `author`'s posts reach, before mutes (which the
    /// reader applies), in account ID order.
    public func members(of author: AccountID, after: AccountID?, limit: Int) async throws -> [AccountID] {
        try await HomeEdgeStore.members(of: author, after: after, limit: limit, on: env.database.sql)
    }

    /// Which of `accounts` are `viewer`'s friends (Entativa), for ranking friends first.
    public func friends(of viewer: AccountID, among accounts: [AccountID]) async throws -> Set<AccountID> {
        try await Connections(env: env).of(viewer, with: accounts).friends
    }

    /// Which of `ids` `viewer` may see: existing, active, and no block either way.
    public func visible(_ ids: [AccountID], to viewer: Principal) async throws -> Set<AccountID> {
        Set(try await env.profiles.accounts(ids, viewer: viewer, counts: false).map(\.id))
    }

    /// Which of `accounts` `viewer` muted.
    public func muted(by viewer: AccountID, among accounts: [AccountID]) async throws -> Set<AccountID> {
        var muted = Set<AccountID>()
        for start in stride(from: 0, to: accounts.count, by: Self.chunk) {
            muted.formUnion(try await Connections(env: env).ofRecipient(viewer, with: Array(accounts[start..<min(start + Self.chunk, accounts.count)])).muted)
        }
        return muted
    }

    /// Whether `author`'s posts belong in `viewer`'s home now.
    public func reaches(_ viewer: AccountID, from author: AccountID) async throws -> Bool {
        if viewer == author { return true }
        let connections = try await Connections(env: env).ofRecipient(viewer, with: [author])
        let connected = connections.following.contains(author) || connections.friends.contains(author)
        return connected && !connections.muted.contains(author)
    }

    /// Followers plus friends per account (an upper bound of `members`), for choosing between
    /// fan-out and pull.
    public func audienceSizes(of accounts: [AccountID]) async throws -> [AccountID: Int] {
        var sizes: [AccountID: Int] = [:]
        let stats = GraphAccountStats(env: env)
        for start in stride(from: 0, to: accounts.count, by: Self.chunk) {
            let chunk = Array(accounts[start..<min(start + Self.chunk, accounts.count)])
            for (account, counts) in try await stats.stats(for: chunk) { sizes[account] = counts.followers + counts.friends }
        }
        return sizes
    }

    /// Accounts per statement: well under SQLite's 32,766 bound parameters.
    static let chunk = 500
}

/// The accounts whose posts a home shows, as `HomeGraph.versionedSources` answers them.
public struct HomeSources: Sendable {
    public let accounts: Set<AccountID>
    /// Distinct for every time the sources were read in this process.
    public let version: UInt64
}
