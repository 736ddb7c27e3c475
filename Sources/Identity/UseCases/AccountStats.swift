import EntativaCore
import EntativaModels
import Synchronization

/// The counts an account shows on its profile. Identity renders them but does not keep them:
/// the graph knows followers, following and friends, the posts domain knows posts (decision 0012).
public struct AccountStats: Sendable, Equatable {
    public var followers: Int
    public var following: Int
    public var friends: Int
    public var posts: Int

    public init(followers: Int = 0, following: Int = 0, friends: Int = 0, posts: Int = 0) {
        self.followers = followers
        self.following = following
        self.friends = friends
        self.posts = posts
    }

    public static let zero = AccountStats()

    /// Each source fills the counts it owns and leaves the others at zero, so the sum is the whole.
    public static func + (left: AccountStats, right: AccountStats) -> AccountStats {
        AccountStats(
            followers: left.followers + right.followers, following: left.following + right.following,
            friends: left.friends + right.friends, posts: left.posts + right.posts)
    }
}

/// Counts for many accounts at once. Higher domains implement it; the composition root plugs
/// them into identity's `AccountStatsSlot`. One call must cost a fixed number of queries,
/// however many accounts it names: a page of accounts is rendered with one call.
public protocol AccountStatsSource: Sendable {
    /// The counts of `accounts` (no duplicates, never empty); an account left out counts zero.
    func stats(for accounts: [AccountID]) async throws -> [AccountID: AccountStats]
}

/// The sources of a running server, summed: none (every count zero) until the composition root
/// installs the graph's and the posts domain's.
public final class AccountStatsSlot: AccountStatsSource {
    private let sources = Mutex<[any AccountStatsSource]>([])

    public init() {}

    public func install(_ sources: [any AccountStatsSource]) { self.sources.withLock { $0 = sources } }

    /// Every installed source, in order; for tests that wrap them.
    public var installed: [any AccountStatsSource] { sources.withLock { $0 } }

    public func stats(for accounts: [AccountID]) async throws -> [AccountID: AccountStats] {
        var unique: [AccountID] = []
        var seen: Set<AccountID> = []
        for account in accounts where seen.insert(account).inserted { unique.append(account) }
        guard !unique.isEmpty else { return [:] }
        var total: [AccountID: AccountStats] = [:]
        for source in installed {
            for (account, stats) in try await source.stats(for: unique) {
                total[account, default: .zero] = total[account, default: .zero] + stats
            }
        }
        return total
    }
}

extension IdentityEnvironment {
    /// `accounts` with their counts, fetched for all of them in one call to the stats sources.
    /// Friendships exist only on Entativa, so `friends_count` is left out on Vignette.
    func counted(_ accounts: [Account]) async throws -> [Account] {
        guard !accounts.isEmpty else { return accounts }
        let stats = try await self.stats.stats(for: accounts.map(\.id))
        let friendships = kernel.config.platform == .entativa
        return accounts.map { account in
            var account = account
            let counts = stats[account.id] ?? .zero
            account.followersCount = counts.followers
            account.followingCount = counts.following
            account.friendsCount = friendships ? counts.friends : nil
            account.postsCount = counts.posts
            return account
        }
    }

    /// A new account's counts, all zero without asking: nothing pointed at its ID before it existed.
    func uncounted(_ account: Account) -> Account {
        var account = account
        account.friendsCount = kernel.config.platform == .entativa ? 0 : nil
        return account
    }

    func counted(_ account: Account) async throws -> Account {
        try await counted([account])[0]
    }

    func counted(_ tokens: AuthTokens) async throws -> AuthTokens {
        var tokens = tokens
        tokens.account = try await counted(tokens.account)
        return tokens
    }
}
