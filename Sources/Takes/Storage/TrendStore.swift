import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on `take_trends`, `take_trend_entries` and `take_trend_stats`.
enum TrendStore {
    struct TrendRow: Decodable, Sendable {
        var id: TrendID
        var kind: TrendKind
        var key: String
        var originatorId: AccountID
        var originTakeId: PostID
        var startedAt: Int64
    }

    struct EntryRow: Decodable, Sendable {
        var trendId: TrendID
        var takeId: PostID
        var accountId: AccountID
    }

    struct StatsRow: Codable, Sendable, Equatable {
        var trendId: TrendID
        var computedAt: Int64
        var participants: Int64
        var takes: Int64
        var joinsLastHour: Int64
        var joinsPreviousHour: Int64
        var joinsLastDay: Int64
        var joinsPreviousDay: Int64
        var growing: Bool
    }

    /// Creates the trend unless it exists; either way answers it. The unique key on (kind, key)
    /// makes the first writer the originator for good: a racing second insert does nothing.
    static func findOrStart(
        kind: TrendKind, key: String, id: TrendID, originator: AccountID, originTake: PostID, at: Int64, on db: any SQLDatabase
    ) async throws -> TrendRow {
        try await db.raw("""
            INSERT INTO take_trends (id, kind, key, originator_id, origin_take_id, started_at)
            VALUES (\(bind: id.rawValue), \(bind: kind.rawValue), \(bind: key), \(bind: originator.rawValue), \(bind: originTake.rawValue), \(bind: at))
            ON CONFLICT (kind, key) DO NOTHING
            """).run()
        guard let row = try await find(kind: kind, key: key, on: db) else { throw AppError.conflict("The trend changed meanwhile; try again.") }
        return row
    }

    static func find(kind: TrendKind, key: String, on db: any SQLDatabase) async throws -> TrendRow? {
        try await db.raw("SELECT * FROM take_trends WHERE kind = \(bind: kind.rawValue) AND key = \(bind: key)").first()?.decode(TrendRow.self)
    }

    static func find(_ ids: [TrendID], on db: any SQLDatabase) async throws -> [TrendRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM take_trends WHERE id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(TrendRow.self) }
    }

    /// Answers whether `account` had no other Take in the trend before this one.
    static func join(_ trend: TrendID, take: PostID, account: AccountID, at: Int64, on db: any SQLDatabase) async throws -> Bool {
        let earlier = try await db.raw("""
            SELECT 1 AS one FROM take_trend_entries WHERE trend_id = \(bind: trend.rawValue) AND account_id = \(bind: account.rawValue) LIMIT 1
            """).first() != nil
        try await db.raw("""
            INSERT INTO take_trend_entries (trend_id, take_id, account_id, joined_at)
            VALUES (\(bind: trend.rawValue), \(bind: take.rawValue), \(bind: account.rawValue), \(bind: at))
            ON CONFLICT (trend_id, take_id) DO NOTHING
            """).run()
        return !earlier
    }

    static func leave(_ trends: [TrendID], take: PostID, on db: any SQLDatabase) async throws {
        guard !trends.isEmpty else { return }
        try await db.raw("""
            DELETE FROM take_trend_entries WHERE take_id = \(bind: take.rawValue) AND trend_id IN (\(binds: trends.map(\.rawValue)))
            """).run()
    }

    static func leaveAll(take: PostID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM take_trend_entries WHERE take_id = \(bind: take.rawValue)").run()
    }

    /// The entries of `takes`, in no order.
    static func entries(of takes: [PostID], on db: any SQLDatabase) async throws -> [EntryRow] {
        var rows: [EntryRow] = []
        for start in stride(from: 0, to: takes.count, by: TakeStore.chunk) {
            let slice = takes[start..<min(start + TakeStore.chunk, takes.count)].map(\.rawValue)
            rows += try await db.raw("SELECT trend_id, take_id, account_id FROM take_trend_entries WHERE take_id IN (\(binds: slice))")
                .all().map { try $0.decode(EntryRow.self) }
        }
        return rows
    }

    /// A trend's Takes, newest first, below `before`.
    static func takes(in trend: TrendID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await db.raw("""
            SELECT take_id FROM take_trend_entries WHERE trend_id = \(bind: trend.rawValue) AND take_id < \(bind: before ?? Int64.max)
            ORDER BY take_id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "take_id", as: PostID.self) }
    }

    /// Trends with a join since `since`: the ones detection recounts.
    static func active(since: Int64, on db: any SQLDatabase) async throws -> [TrendID] {
        try await db.raw("""
            SELECT DISTINCT trend_id FROM take_trend_entries WHERE joined_at >= \(bind: since)
            UNION SELECT trend_id FROM take_trend_stats WHERE joins_last_day > 0 OR joins_previous_day > 0
            """).all().map { try $0.decode(column: "trend_id", as: TrendID.self) }
    }

    /// What detection counts for one trend at `now`: each creator counts once, when their first
    /// live Take joined.
    static func count(_ trend: TrendID, now: Int64, on db: any SQLDatabase) async throws -> StatsRow {
        let hour: Int64 = 3_600_000
        let day = 24 * hour
        let row = try await db.raw("""
            SELECT COUNT(*) AS participants, CAST(COALESCE(SUM(takes), 0) AS BIGINT) AS takes,
                   COALESCE(SUM(CASE WHEN joined > \(bind: now - hour) AND joined <= \(bind: now) THEN 1 ELSE 0 END), 0) AS last_hour,
                   COALESCE(SUM(CASE WHEN joined > \(bind: now - 2 * hour) AND joined <= \(bind: now - hour) THEN 1 ELSE 0 END), 0) AS previous_hour,
                   COALESCE(SUM(CASE WHEN joined > \(bind: now - day) AND joined <= \(bind: now) THEN 1 ELSE 0 END), 0) AS last_day,
                   COALESCE(SUM(CASE WHEN joined > \(bind: now - 2 * day) AND joined <= \(bind: now - day) THEN 1 ELSE 0 END), 0) AS previous_day
            FROM (SELECT account_id, MIN(joined_at) AS joined, COUNT(*) AS takes FROM take_trend_entries
                  WHERE trend_id = \(bind: trend.rawValue) AND joined_at <= \(bind: now) GROUP BY account_id) AS creators
            """).first()
        func value(_ column: String) throws -> Int64 { try row?.decode(column: column, as: Int64?.self) ?? 0 }
        let (lastDay, previousDay) = (try value("last_day"), try value("previous_day"))
        return StatsRow(
            trendId: trend, computedAt: now, participants: try value("participants"), takes: try value("takes"),
            joinsLastHour: try value("last_hour"), joinsPreviousHour: try value("previous_hour"), joinsLastDay: lastDay, joinsPreviousDay: previousDay,
            growing: lastDay > 0 && lastDay >= previousDay)
    }

    static func save(_ stats: StatsRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO take_trend_stats (trend_id, computed_at, participants, takes, joins_last_hour, joins_previous_hour, joins_last_day,
                                          joins_previous_day, growing)
            VALUES (\(bind: stats.trendId.rawValue), \(bind: stats.computedAt), \(bind: stats.participants), \(bind: stats.takes),
                    \(bind: stats.joinsLastHour), \(bind: stats.joinsPreviousHour), \(bind: stats.joinsLastDay), \(bind: stats.joinsPreviousDay),
                    \(bind: stats.growing))
            ON CONFLICT (trend_id) DO UPDATE SET computed_at = excluded.computed_at, participants = excluded.participants, takes = excluded.takes,
                joins_last_hour = excluded.joins_last_hour, joins_previous_hour = excluded.joins_previous_hour,
                joins_last_day = excluded.joins_last_day, joins_previous_day = excluded.joins_previous_day, growing = excluded.growing
            """).run()
    }

    static func stats(_ ids: [TrendID], on db: any SQLDatabase) async throws -> [TrendID: StatsRow] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.raw("SELECT * FROM take_trend_stats WHERE trend_id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(StatsRow.self) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.trendId, $0) })
    }

    /// Growing trends with at least `minimum` creators, most joins in the last day first.
    static func trending(minimum: Int, kind: TrendKind?, limit: Int, on db: any SQLDatabase) async throws -> [StatsRow] {
        var kindFilter: SQLQueryString = ""
        if let kind { kindFilter = "AND t.kind = \(bind: kind.rawValue)" }
        return try await db.raw("""
            SELECT s.* FROM take_trend_stats s JOIN take_trends t ON t.id = s.trend_id
            WHERE s.growing = \(bind: true) AND s.participants >= \(bind: minimum) \(kindFilter)
            ORDER BY s.joins_last_day DESC, s.trend_id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(StatsRow.self) }
    }

    /// The origin Takes of growing trends, with the joins of their trend in the last day (the
    /// largest, when a Take started several).
    static func growingOrigins(on db: any SQLDatabase) async throws -> [(take: PostID, originator: AccountID, joinsLastDay: Int64)] {
        try await db.raw("""
            SELECT t.origin_take_id AS take_id, t.originator_id AS originator_id, MAX(s.joins_last_day) AS joins
            FROM take_trends t JOIN take_trend_stats s ON s.trend_id = t.id WHERE s.growing = \(bind: true)
            GROUP BY t.origin_take_id, t.originator_id
            """).all().map {
            (try $0.decode(column: "take_id", as: PostID.self), try $0.decode(column: "originator_id", as: AccountID.self),
             try $0.decode(column: "joins", as: Int64.self))
        }
    }

    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM take_trend_entries WHERE account_id = \(bind: account.rawValue)").run()
    }
}
