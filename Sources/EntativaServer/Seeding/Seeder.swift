import EntativaCore
import EntativaModels
import Feed
import Graph
import Identity
import Posts

/// What `entativa seed` wrote.
public struct SeedSummary: Sendable {
    public var accounts = 0
    public var follows = 0
    public var friendships = 0
    public var posts = 0
    public var shares = 0
    public var reactions = 0
    public var comments = 0
    public var homeEntries = 0
    public var impressions = 0
    public var takes = 0
    /// The account with the largest audience, for benchmarks that publish as it.
    public var biggestAccount: AccountID?
    public var biggestAudience = 0
}

/// Makes a seeded dataset (`SeedPlan`) and writes it through each module's seeding API, so every
/// table is still written only by its own module. For a database no server is using: seeded
/// rows bypass the events and cache announcements a live write makes.
public struct Seeder: Sendable {
    /// The password of every seeded account.
    public static let password = "entativa seeded account"

    let runtime: EntativaRuntime

    public init(runtime: EntativaRuntime) { self.runtime = runtime }

    /// `progress` gets a stage name, rows done and rows in the stage.
    public func run(_ options: SeedOptions, progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws -> SeedSummary {
        let feed = FeedSeeding(env: runtime.feed.env)
        progress("planning", 0, 1)
        let plan = SeedPlan.make(
            options, platform: runtime.kernel.config.platform, now: runtime.kernel.clock.nowMillis(), fanOutThreshold: feed.fanOutThreshold)
        progress("planning", 1, 1)
        func stage(_ name: String, _ total: Int) -> @Sendable (Int) -> Void { { progress(name, $0, total) } }

        try await AccountSeeding(env: runtime.identity.env).insert(plan.accounts, password: Self.password, progress: stage("accounts", plan.accounts.count))
        let graph = GraphSeeding(env: runtime.graph.env)
        try await graph.insertFollows(plan.follows, progress: stage("follows", plan.follows.count))
        try await graph.insertFriendships(plan.friendships, progress: stage("friendships", plan.friendships.count))
        let posts = PostSeeding(env: runtime.posts.env)
        try await posts.insertPosts(plan.posts, progress: stage("posts", plan.posts.count))
        try await posts.insertReactions(plan.reactions, progress: stage("reactions", plan.reactions.count))
        try await posts.insertComments(plan.comments, progress: stage("comments", plan.comments.count))
        try await feed.insertInteractions(plan.interactions, progress: stage("interactions", plan.interactions.count))
        try await feed.insertEntries(plan.entries, progress: stage("home entries", plan.entries.count))
        try await feed.insertPulledAuthors(plan.pulledAuthors)
        progress("impressions", 0, plan.impressions.count)
        try await feed.insertImpressions(plan.impressions, interactions: plan.interactions)
        progress("impressions", plan.impressions.count, plan.impressions.count)
        var random = SeedRandom(seed: options.seed &+ 0x7A4E)
        try await TakeSeeder(runtime: runtime).run(
            count: options.takes, authors: plan.accounts.map(\.id), days: options.days, random: &random, now: runtime.kernel.clock.nowMillis(),
            progress: stage("takes", options.takes))

        var summary = SeedSummary()
        summary.accounts = plan.accounts.count
        summary.follows = plan.follows.count
        summary.friendships = plan.friendships.count
        summary.posts = plan.posts.count
        summary.shares = plan.posts.count { $0.sharedPostId != nil }
        summary.reactions = plan.reactions.count
        summary.comments = plan.comments.count
        summary.homeEntries = plan.entries.count
        summary.impressions = plan.impressions.count
        summary.takes = options.takes
        var audiences: [AccountID: Int] = [:]
        for edge in plan.follows { audiences[edge.target, default: 0] += 1 }
        for edge in plan.friendships {
            audiences[edge.target, default: 0] += 1
            audiences[edge.source, default: 0] += 1
        }
        if let biggest = audiences.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            summary.biggestAccount = biggest.key
            summary.biggestAudience = biggest.value
        }
        return summary
    }
}
