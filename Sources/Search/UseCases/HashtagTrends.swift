import EntativaCore
import EntativaModels
import Foundation

/// Trending hashtags (docs/search.md, "Trends"): counted by a job over public uses in a rolling
/// window and the window before it. A tag trends with at least `trendMinAccounts` distinct
/// accounts and `trendMinUses` uses in the window; its score is its uses, each halved every
/// `trendHalfLifeHours` of age, times its growth ratio (uses + 1) ÷ (previous + 1) capped at 4.
/// Counting twice at one instant writes the same snapshot.
public struct HashtagTrends: Sendable {
    let env: SearchEnvironment

    public init(env: SearchEnvironment) { self.env = env }

    struct Run: Codable, Sendable {}
    static let job = JobDefinition<Run>("search.trends", maxAttempts: 5)
    static let maxGrowthFactor = 4.0

    func registerJobs() throws {
        let trends = self
        env.kernel.jobs.register(Self.job) { _ in _ = try await trends.run() }
        try env.kernel.jobs.every(Self.job, interval: env.settings.trendInterval, payload: Run())
    }

    /// Counts now and stores the snapshot; answers how many tags trend.
    @discardableResult
    public func run() async throws -> Int {
        let now = env.now
        let settings = env.settings
        let window = Int64(settings.trendWindowHours) * 3_600_000
        let db = env.database.sql
        let current = try await TrendStore.hourly(from: now - window, to: now + 1, on: db)
        let previous = Dictionary(grouping: try await TrendStore.hourly(from: now - 2 * window, to: now - window, on: db), by: \.tag)
            .mapValues { $0.reduce(0) { $0 + $1.uses } }
        let accounts = try await TrendStore.accounts(from: now - window, to: now + 1, on: db)
        let nowHour = now / 3_600_000
        var scored: [(tag: String, uses: Int64, accounts: Int64, previous: Int64, growth: Double, score: Double)] = []
        for (tag, hours) in Dictionary(grouping: current, by: \.tag) {
            let uses = hours.reduce(0) { $0 + $1.uses }
            let people = accounts[tag] ?? 0
            guard uses >= settings.trendMinUses, people >= settings.trendMinAccounts else { continue }
            let before = previous[tag] ?? 0
            let ratio = Double(uses + 1) / Double(before + 1)
            let decayed = hours.reduce(0.0) { $0 + Double($1.uses) * pow(0.5, Double(nowHour - $1.hour) / settings.trendHalfLifeHours) }
            scored.append((tag, uses, people, before, 100 * (ratio - 1), decayed * min(ratio, Self.maxGrowthFactor)))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.tag < $1.tag }
        let top = Array(scored.prefix(settings.maxTrends))
        let names = try await TrendStore.names(top.map(\.tag), on: db)
        let rows = top.enumerated().map { index, trend in
            TrendStore.TrendRow(
                computedAt: now, rank: index + 1, tag: trend.tag, name: names[trend.tag] ?? trend.tag, uses: trend.uses, accounts: trend.accounts,
                previousUses: trend.previous, growthPercent: trend.growth, score: trend.score)
        }
        try await env.database.transaction { db in try await TrendStore.replace(with: rows, on: db) }
        return rows.count
    }

    /// The newest snapshot, best first.
    func list(limit: Int) async throws -> [HashtagTrend] {
        try await TrendStore.latest(limit: limit, on: env.database.sql).map {
            HashtagTrend(
                rank: $0.rank, name: $0.name, uses: Int($0.uses), accounts: Int($0.accounts), previousUses: Int($0.previousUses),
                growthPercent: $0.growthPercent, score: $0.score, computedAt: Date(millisecondsSince1970: $0.computedAt))
        }
    }
}

/// "More like this": hashtags public posts use together with one, scored by how much more
/// often than their popularity alone would make them meet.
struct RelatedHashtags: Sendable {
    let env: SearchEnvironment
    /// How many of the tag's newest public posts are read: a tag used a million times costs no more.
    static let window = 10_000
    /// Fewer posts together than this is chance, not a relation.
    static let minimumTogether: Int64 = 2

    func related(to name: String, limit: Int) async throws -> [RelatedHashtag] {
        let tag = SearchText.fold(name.hasPrefix("#") ? String(name.dropFirst()) : name)
        let db = env.database.sql
        let pairs = try await TrendStore.coUses(of: tag, window: Self.window, limit: 100, on: db).filter { $0.posts >= Self.minimumTogether }
        let rows = Dictionary(uniqueKeysWithValues: try await MatchStore.hashtags([tag] + pairs.map(\.tag), on: db).map { ($0.tag, $0) })
        guard let own = rows[tag] else { throw AppError.notFound("hashtag") }
        let related = pairs.compactMap { pair -> RelatedHashtag? in
            guard let other = rows[pair.tag] else { return nil }
            let score = Double(pair.posts) / (Double(own.publicUses) * Double(other.publicUses)).squareRoot()
            return RelatedHashtag(name: other.name, together: Int(pair.posts), score: min(1, score))
        }
        return Array(related.sorted { $0.score != $1.score ? $0.score > $1.score : $0.name < $1.name }.prefix(limit))
    }
}
