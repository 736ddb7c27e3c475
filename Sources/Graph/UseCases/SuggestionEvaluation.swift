import EntativaCore
import EntativaModels

/// How well account suggestions predict follows, measured offline: for a sample of accounts,
/// the newest tenth of each one's follows is held out, suggestions are computed from the graph
/// as it was before the first held-out follow, and recall@k counts how many held-out follows
/// are among the top k. The baseline suggests the most followed accounts not yet followed.
public struct SuggestionEvaluation: Sendable {
    public struct Result: Sendable, Equatable {
        public var accounts: Int
        public var heldOut: Int
        public var k: Int
        /// Held-out follows found in the top k, by the suggestions and by popularity.
        public var suggestionHits: Int
        public var popularityHits: Int

        public var suggestionRecall: Double { heldOut == 0 ? 0 : Double(suggestionHits) / Double(heldOut) }
        public var popularityRecall: Double { heldOut == 0 ? 0 : Double(popularityHits) / Double(heldOut) }
    }

    /// Accounts need this many follows to be sampled: one held out and enough left to walk from.
    public static let minimumFollows = 10

    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    public func run(sample: Int, k: Int = 10) async throws -> Result {
        let database = env.database.sql
        let platform = env.kernel.config.platform
        let accounts = try await SuggestionStore.evaluationSample(minimumFollows: Self.minimumFollows, limit: sample, on: database)
        // Popularity counts every follow, held-out ones included: a little in the baseline's favour.
        let popular = try await SuggestionStore.mostFollowed(limit: k + 5_000 / max(1, k), on: database)
        var result = Result(accounts: accounts.count, heldOut: 0, k: k, suggestionHits: 0, popularityHits: 0)
        for account in accounts {
            let follows = try await SuggestionStore.follows(of: account, on: database)
            let heldCount = max(1, follows.count / 10)
            let cutoff = follows[follows.count - heldCount].1
            // Follows made in the same millisecond as the cutoff count as held out, so the split is by time alone.
            let known = Set(follows.filter { $0.1 < cutoff }.map(\.0))
            let heldOut = Set(follows.filter { $0.1 >= cutoff }.map(\.0))
            let friends = Set(try await SuggestionStore.friends(of: account, before: cutoff, on: database))
            let excluded = known.union(friends).union([account])
            let candidates = try await Suggestions.candidates(for: account, platform: platform, before: cutoff, on: database)
            let suggested = Suggestions.ranked(candidates).filter { !excluded.contains($0) }.prefix(k)
            let baseline = popular.filter { !excluded.contains($0) }.prefix(k)
            result.heldOut += heldOut.count
            result.suggestionHits += suggested.count { heldOut.contains($0) }
            result.popularityHits += baseline.count { heldOut.contains($0) }
        }
        return result
    }
}
