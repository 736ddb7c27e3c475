import EntativaCore
import EntativaModels
import Graph

/// Who gets the discovery boost now: the origin Takes of growing trends, and their originators,
/// each with the joins of the last day (the most, when they started several trends). Read on
/// every feed page, changed only by trend detection: held in memory until detection runs in
/// this process, and at most `ttl` when it runs in another.
struct TrendBoosts: Sendable {
    let env: TakesEnvironment

    struct Snapshot: Sendable {
        var takes: [PostID: Int64] = [:]
        var originators: [AccountID: (joins: Int64, origins: [PostID])] = [:]
        var loadedAt: ContinuousClock.Instant
    }

    static let ttl: Duration = .seconds(30)
    /// The growing trends boosted at once, most joins first: bounds what every feed page and
    /// suggestion list carries.
    static let maxBoosted = 500

    func originTakes() async throws -> [PostID: Int64] { try await snapshot().takes }

    func originators() async throws -> [AccountID: (joins: Int64, origins: [PostID])] { try await snapshot().originators }

    private func snapshot() async throws -> Snapshot {
        let now = ContinuousClock.now
        if let cached = env.boostCache.withLock({ $0 }), now - cached.loadedAt < Self.ttl { return cached }
        var snapshot = Snapshot(loadedAt: now)
        let origins = try await TrendStore.growingOrigins(minimum: env.settings.trendMinCreators, limit: Self.maxBoosted, on: env.database.sql)
        for origin in origins {
            snapshot.takes[origin.take] = max(snapshot.takes[origin.take] ?? 0, origin.joinsLastDay)
            var entry = snapshot.originators[origin.originator] ?? (0, [])
            entry.joins = max(entry.joins, origin.joinsLastDay)
            entry.origins.append(origin.take)
            snapshot.originators[origin.originator] = entry
        }
        env.boostCache.withLock { $0 = snapshot }
        return snapshot
    }

    /// After detection has written new counts.
    func forget() { env.boostCache.withLock { $0 = nil } }
}

/// The originators of growing trends, offered to people suggestions: min(10, joins in the last
/// day) points each, which outweighs a handful of mutual ties but not a close circle. Only to
/// viewers who may see one of the Takes that started their trends.
struct TrendSuggestions: SuggestionBooster {
    let env: TakesEnvironment

    static let maxPoints = 10

    func boosts(for viewer: AccountID) async throws -> [AccountID: SuggestionBoost] {
        let originators = try await TrendBoosts(env: env).originators()
        let visible = try await env.visiblePosts(originators.values.flatMap(\.origins), viewer: Principal.ordinaryAccount(viewer))
        var boosts: [AccountID: SuggestionBoost] = [:]
        for (account, entry) in originators where entry.origins.contains(where: visible.contains) {
            boosts[account] = SuggestionBoost(
                points: Int(min(Int64(Self.maxPoints), entry.joins)), reason: SuggestionReason(kind: .startedTrend, count: Int(entry.joins)))
        }
        return boosts
    }
}
