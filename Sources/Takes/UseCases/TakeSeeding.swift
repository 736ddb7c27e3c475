import EntativaCore
import EntativaModels
import SQLKit

/// A Take `entativa seed` makes; its post is seeded by Posts with the same ID.
public struct SeededTake: Sendable {
    public var id: PostID
    public var author: AccountID
    public var media: MediaID
    public var durationMs: Int64
    public var width: Int
    public var height: Int
    public var hashtags: [String]
    public var createdAt: Int64
    public var views: Int
    /// Σ of the furthest point reached, in thousandths, and Σ of rewatches, over `views`.
    public var completionSum: Int
    public var rewatchSum: Int

    public init(
        id: PostID, author: AccountID, media: MediaID, durationMs: Int64, width: Int, height: Int, hashtags: [String], createdAt: Int64, views: Int,
        completionSum: Int, rewatchSum: Int
    ) {
        (self.id, self.author, self.media, self.durationMs, self.width, self.height) = (id, author, media, durationMs, width, height)
        (self.hashtags, self.createdAt, self.views, self.completionSum, self.rewatchSum) = (hashtags, createdAt, views, completionSum, rewatchSum)
    }
}

/// Writes seeded Takes, their trends (each hashtag's earliest Take as the origin) and the
/// trends' counts, in bulk and without events: for a database no server is using.
public struct TakeSeeding: Sendable {
    let env: TakesEnvironment

    public init(env: TakesEnvironment) { self.env = env }

    /// The video every seeded Take shows stays attached to `seed:takes`, so the collector keeps it.
    public func keep(_ video: MediaID, owner: AccountID) async throws {
        let attachments = env.attachments
        try await env.database.transaction { db in
            try await attachments.attach([video], owner: owner, to: "seed:takes", isPrivate: false, field: "media_id", on: db)
        }
    }

    public func insert(_ takes: [SeededTake], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        try await BulkWrite.run(takes, on: env.database, progress: progress) { TakeSeedStore.insertTakes($0) }
        var trends: [String: (id: TrendID, origin: SeededTake)] = [:]
        for take in takes.sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            for tag in take.hashtags where trends[tag] == nil { trends[tag] = (env.kernel.ids.next(TrendID.self), take) }
        }
        let rows = trends.map { (id: $0.value.id, key: $0.key, originator: $0.value.origin.author, origin: $0.value.origin.id, at: $0.value.origin.createdAt) }
        try await BulkWrite.run(rows, on: env.database) { TakeSeedStore.insertTrends($0) }
        let entries = takes.flatMap { take in
            take.hashtags.compactMap { tag in trends[tag].map { (trend: $0.id, take: take.id, account: take.author, at: take.createdAt) } }
        }
        try await BulkWrite.run(entries, on: env.database) { TakeSeedStore.insertEntries($0) }
        var first: [String: (trend: TrendID, account: AccountID, at: Int64)] = [:]
        for entry in entries {
            let key = "\(entry.trend)-\(entry.account)"
            if first[key].map({ entry.at < $0.at }) ?? true { first[key] = (entry.trend, entry.account, entry.at) }
        }
        try await BulkWrite.run(Array(first.values).sorted { ($0.trend, $0.account) < ($1.trend, $1.account) }, on: env.database) {
            TakeSeedStore.insertParticipants($0)
        }
        try await TrendDetection(env: env).run()
    }
}

/// Bulk statements for `TakeSeeding`: integers and seeded ASCII tags only.
enum TakeSeedStore {
    static func insertTakes(_ takes: ArraySlice<SeededTake>) -> SQLQueryString {
        let rows: [SQLQueryString] = takes.map { take in
            let orientation = take.height > take.width ? "portrait" : take.width > take.height ? "landscape" : "square"
            return """
                (\(bind: take.id.rawValue), \(bind: take.author.rawValue), \(bind: take.media.rawValue), \(bind: take.durationMs), \(bind: take.width), \
                \(bind: take.height), \(bind: orientation), 0, \(bind: true), \(bind: true), \(bind: take.createdAt), \(bind: Int64(take.views)), \
                \(bind: Int64(take.completionSum)), \(bind: Int64(take.rewatchSum)), \(bind: Int64(take.views) * take.durationMs / 2))
                """
        }
        return """
            INSERT INTO takes (post_id, author_id, media_id, duration_ms, width, height, orientation, cover_at_ms, allow_remix, allow_duet,
                               created_at, view_count, completion_sum, rewatch_sum, watch_ms_sum)
            VALUES \(rows.joined(separator: ", "))
            """
    }

    static func insertTrends(_ trends: ArraySlice<(id: TrendID, key: String, originator: AccountID, origin: PostID, at: Int64)>) -> SQLQueryString {
        let rows: [SQLQueryString] = trends.map {
            "(\(bind: $0.id.rawValue), 'hashtag', \(bind: $0.key), \(bind: $0.originator.rawValue), \(bind: $0.origin.rawValue), \(bind: $0.at))"
        }
        return "INSERT INTO take_trends (id, kind, key, originator_id, origin_take_id, started_at) VALUES \(rows.joined(separator: ", "))"
    }

    static func insertParticipants(_ rows: ArraySlice<(trend: TrendID, account: AccountID, at: Int64)>) -> SQLQueryString {
        let values = rows.map { "(\($0.trend.rawValue), \($0.account.rawValue), \($0.at))" }.joined(separator: ", ")
        return "INSERT INTO take_trend_participants (trend_id, account_id, first_joined_at) VALUES \(unsafeRaw: values)"
    }

    static func insertEntries(_ entries: ArraySlice<(trend: TrendID, take: PostID, account: AccountID, at: Int64)>) -> SQLQueryString {
        let rows = entries.map { "(\($0.trend.rawValue), \($0.take.rawValue), \($0.account.rawValue), \($0.at))" }.joined(separator: ", ")
        return "INSERT INTO take_trend_entries (trend_id, take_id, account_id, joined_at) VALUES \(unsafeRaw: rows)"
    }
}
