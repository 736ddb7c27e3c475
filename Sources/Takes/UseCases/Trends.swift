import EntativaCore
import EntativaModels
import Feed
import Foundation

/// Trend pages: who started a trend and with which Take, how many creators joined, how fast it
/// grows, and its Takes ranked.
struct Trends: Sendable {
    let env: TakesEnvironment

    static let maxTrending = 50
    /// A trend's Takes are ranked within its newest this many.
    static let rankedWindow = 1_000

    func trending(kind: TrendKind?, viewer: Principal?, limit: Int) async throws -> Page<TakeTrend> {
        let stats = try await TrendStore.trending(minimum: env.settings.trendMinCreators, kind: kind, limit: min(limit, Self.maxTrending), on: env.database.sql)
        let trends = try await TrendStore.find(stats.map(\.trendId), on: env.database.sql)
        let byID = Dictionary(uniqueKeysWithValues: trends.map { ($0.id, $0) })
        return Page(items: try await render(try await visible(stats.compactMap { byID[$0.trendId] }, viewer: viewer), viewer: viewer), nextCursor: nil)
    }

    /// A trend shows only to whoever may see one of its Takes (the origin or one of its newest
    /// `probe` participants): a hashtag used only in narrow audiences stays unknown to others.
    func visible(_ rows: [TrendStore.TrendRow], viewer: Principal?) async throws -> [TrendStore.TrendRow] {
        // Most trends show their origin: one check for all of them, then a probe for the rest.
        let origins = try await env.visiblePosts(rows.map(\.originTakeId), viewer: viewer)
        var shown: [TrendStore.TrendRow] = []
        for row in rows {
            if origins.contains(row.originTakeId) {
                shown.append(row)
                continue
            }
            let takes = try await TrendStore.takes(in: row.id, before: nil, limit: Self.probe, on: env.database.sql)
            if try await !env.visiblePosts(takes, viewer: viewer).isEmpty { shown.append(row) }
        }
        return shown
    }

    static let probe = 100

    func get(_ id: TrendID, viewer: Principal?) async throws -> TakeTrend {
        guard let row = try await TrendStore.find([id], on: env.database.sql).first,
            let trend = try await render(try await visible([row], viewer: viewer), viewer: viewer).first
        else { throw AppError.notFound("trend") }
        return trend
    }

    /// A trend's Takes that `viewer` may see, best first by the feed's score without affinity.
    func takes(in id: TrendID, viewer: Principal?, cursor: RankedCursor?, limit: Int) async throws -> Page<Take> {
        _ = try await get(id, viewer: viewer)
        let db = env.database.sql
        let rankedAt = cursor?.rankedAt ?? env.now
        let ids = try await TrendStore.takes(in: id, before: cursor.map { $0.top.rawValue + 1 }, limit: Self.rankedWindow, on: db)
        guard let top = ids.first else { return Page(items: [], nextCursor: nil) }
        let signals = try await env.posts.visibleSignals(of: ids, viewer: viewer)
        let counters = try await env.candidates.counters(of: signals.map(\.id))
        let boosts = try await TrendBoosts(env: env).originTakes()
        let ranking = TakeRanking(settings: env.settings)
        let ordered = signals.compactMap { post -> (id: PostID, score: Double)? in
            guard let counted = counters[post.id] else { return nil }
            let inputs = TakeRanking.Inputs(
                views: counted.views, completionSum: counted.completionSum, rewatchSum: counted.rewatchSum, signals: post, affinity: 0,
                trendJoins: boosts[post.id])
            return (post.id, ranking.score(inputs, createdAt: post.createdAt, now: rankedAt).score)
        }.sorted { a, b in a.score != b.score ? a.score > b.score : a.id > b.id }
        let offset = cursor?.offset ?? 0
        let shown = Array(ordered.dropFirst(offset).prefix(limit)).map(\.id)
        let rows = Dictionary(uniqueKeysWithValues: try await TakeStore.live(shown, on: db).map { ($0.postId, $0) })
        let takes = try await TakeRenderer(env: env).render(shown.compactMap { rows[$0] }, viewer: viewer)
        let next = offset + limit < ordered.count ? RankedCursor(top: cursor?.top ?? top, rankedAt: rankedAt, offset: offset + limit) : nil
        return Page(items: takes, nextCursor: next?.text)
    }

    func render(_ rows: [TrendStore.TrendRow], viewer: Principal?) async throws -> [TakeTrend] {
        let db = env.database.sql
        let stats = try await TrendStore.stats(rows.map(\.id), on: db)
        let credits = try await TrendCredits(env: env).credit(rows, viewer: viewer)
        let origins = Dictionary(
            uniqueKeysWithValues: try await TakeRenderer(env: env).render(try await TakeStore.live(rows.map(\.originTakeId), on: db), viewer: viewer)
                .map { ($0.id, $0) })
        return rows.map { row in
            let counted = stats[row.id]
            func growth(_ last: Int64?, _ previous: Int64?) -> Double? {
                guard let last, let previous, previous > 0 else { return nil }
                return Double(last - previous) / Double(previous) * 100
            }
            return TakeTrend(
                id: row.id, kind: row.kind, key: row.key, originator: credits[row.id]?.originator, originTake: origins[row.originTakeId],
                participants: Int(counted?.participants ?? 0), takes: Int(counted?.takes ?? 0), joinsLastHour: Int(counted?.joinsLastHour ?? 0),
                joinsPreviousHour: Int(counted?.joinsPreviousHour ?? 0), joinsLastDay: Int(counted?.joinsLastDay ?? 0),
                joinsPreviousDay: Int(counted?.joinsPreviousDay ?? 0), growthPerHourPercent: growth(counted?.joinsLastHour, counted?.joinsPreviousHour),
                growthPerDayPercent: growth(counted?.joinsLastDay, counted?.joinsPreviousDay), growing: counted?.growing ?? false,
                startedAt: Date(millisecondsSince1970: row.startedAt), computedAt: counted.map { Date(millisecondsSince1970: $0.computedAt) })
        }
    }
}
