import EntativaCore
import SQLKit

/// Counts over public hashtag uses, and the trends snapshot.
enum TrendStore {
    struct HourCount: Sendable, Equatable {
        var tag: String
        var hour: Int64
        var uses: Int64
    }

    /// Uses per tag per hour (hours since 1970) with `from <= used_at < to`.
    static func hourly(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [HourCount] {
        try await db.raw("""
            SELECT tag, used_at / 3600000 AS hour, COUNT(*) AS uses FROM search_hashtag_uses
            WHERE used_at >= \(bind: from) AND used_at < \(bind: to) GROUP BY tag, used_at / 3600000
            """).all().map {
                HourCount(tag: try $0.decode(column: "tag", as: String.self), hour: try $0.decode(column: "hour", as: Int64.self),
                          uses: try $0.decode(column: "uses", as: Int64.self))
            }
    }

    /// Distinct accounts per tag with `from <= used_at < to`.
    static func accounts(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: Int64] {
        let rows = try await db.raw("""
            SELECT tag, COUNT(DISTINCT account_id) AS accounts FROM search_hashtag_uses
            WHERE used_at >= \(bind: from) AND used_at < \(bind: to) GROUP BY tag
            """).all()
        return Dictionary(try rows.map { (try $0.decode(column: "tag", as: String.self), try $0.decode(column: "accounts", as: Int64.self)) }) { a, _ in a }
    }

    struct TrendRow: Sendable, Equatable, Codable {
        var computedAt: Int64
        var rank: Int
        var tag: String
        var name: String
        var uses: Int64
        var accounts: Int64
        var previousUses: Int64
        var growthPercent: Double
        var score: Double
    }

    /// Replaces the snapshot with `rows`, all computed at one instant.
    static func replace(with rows: [TrendRow], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM search_trends").run()
        for row in rows {
            try await db.raw("""
                INSERT INTO search_trends (computed_at, rank, tag, name, uses, accounts, previous_uses, growth_percent, score)
                VALUES (\(bind: row.computedAt), \(bind: row.rank), \(bind: row.tag), \(bind: row.name), \(bind: row.uses), \(bind: row.accounts),
                    \(bind: row.previousUses), \(bind: row.growthPercent), \(bind: row.score))
                """).run()
        }
    }

    static func latest(limit: Int, on db: any SQLDatabase) async throws -> [TrendRow] {
        try await db.raw("SELECT * FROM search_trends ORDER BY rank LIMIT \(bind: limit)").all().map { try $0.decode(TrendRow.self) }
    }

    /// The names of `tags`.
    static func names(_ tags: [String], on db: any SQLDatabase) async throws -> [String: String] {
        guard !tags.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for chunk in tags.chunked(500) {
            for row in try await db.raw("SELECT tag, name FROM search_hashtags WHERE tag IN (\(binds: Array(chunk)))").all() {
                names[try row.decode(column: "tag", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return names
    }

    /// Tags used by the newest `window` public posts with `tag`, with how many of them each.
    static func coUses(of tag: String, window: Int, limit: Int, on db: any SQLDatabase) async throws -> [(tag: String, posts: Int64)] {
        try await db.raw("""
            SELECT b.tag, COUNT(*) AS posts
            FROM (SELECT post_id FROM search_hashtag_uses WHERE tag = \(bind: tag) ORDER BY post_id DESC LIMIT \(bind: window)) recent
            JOIN search_hashtag_uses b ON b.post_id = recent.post_id
            WHERE b.tag <> \(bind: tag) GROUP BY b.tag ORDER BY posts DESC, b.tag LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "tag", as: String.self), try $0.decode(column: "posts", as: Int64.self)) }
    }
}
