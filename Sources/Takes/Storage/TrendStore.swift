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
    /// lets one use through first; a use that commits later but happened earlier (by server
    /// time, then ID: a slower transaction, an edit whose event ran late) takes its place. A
    /// later use never does, so no later Take, edit or repost can move the credit.
    static func findOrStart(
        kind: TrendKind, key: String, id: TrendID, originator: AccountID, originTake: PostID, at: Int64, on db: any SQLDatabase
    ) async throws -> TrendRow {
        try await db.raw("""
            INSERT INTO take_trends (id, kind, key, originator_id, origin_take_id, started_at)
            VALUES (\(bind: id.rawValue), \(bind: kind.rawValue), \(bind: key), \(bind: originator.rawValue), \(bind: originTake.rawValue), \(bind: at))
            ON CONFLICT (kind, key) DO UPDATE SET originator_id = excluded.originator_id, origin_take_id = excluded.origin_take_id,
                started_at = excluded.started_at
            WHERE excluded.started_at < take_trends.started_at
               OR (excluded.started_at = take_trends.started_at AND excluded.origin_take_id < take_trends.origin_take_id)
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

    /// Answers whether this is `account`'s first Take in the trend ever: leaving and rejoining
    /// is not joining again.
    static func join(_ trend: TrendID, take: PostID, account: AccountID, at: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO take_trend_entries (trend_id, take_id, account_id, joined_at)
            VALUES (\(bind: trend.rawValue), \(bind: take.rawValue), \(bind: account.rawValue), \(bind: at))
            ON CONFLICT (trend_id, take_id) DO NOTHING
            """).run()
        return try await db.raw("""
            INSERT INTO take_trend_participants (trend_id, account_id, first_joined_at)
            VALUES (\(bind: trend.rawValue), \(bind: account.rawValue), \(bind: at))
            ON CONFLICT (trend_id, account_id) DO NOTHING RETURNING trend_id
            """).first() != nil
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
            SELECT DISTINCT trend_id FROM take_trend_participants WHERE first_joined_at >= \(bind: since)
            UNION SELECT trend_id FROM take_trend_stats WHERE joins_last_day > 0 OR joins_previous_day > 0
            """).all().map { try $0.decode(column: "trend_id", as: TrendID.self) }
    }

    /// What detection counts for one trend at `now`: creators with a live Take in it, its live
    /// Takes, and creators by when they first joined (ever, so rejoining is not joining).
    static func count(_ trend: TrendID, now: Int64, on db: any SQLDatabase) async throws -> StatsRow {
        let hour: Int64 = 3_600_000
        let day = 24 * hour
        let live = try await db.raw("""
            SELECT COUNT(DISTINCT account_id) AS participants, COUNT(*) AS takes FROM take_trend_entries
            WHERE trend_id = \(bind: trend.rawValue) AND joined_at <= \(bind: now)
            """).first()
        let joins = try await db.raw("""
            SELECT COALESCE(SUM(CASE WHEN first_joined_at > \(bind: now - hour) THEN 1 ELSE 0 END), 0) AS last_hour,
                   COALESCE(SUM(CASE WHEN first_joined_at > \(bind: now - 2 * hour) AND first_joined_at <= \(bind: now - hour) THEN 1 ELSE 0 END), 0) AS previous_hour,
                   COALESCE(SUM(CASE WHEN first_joined_at > \(bind: now - day) THEN 1 ELSE 0 END), 0) AS last_day,
                   COALESCE(SUM(CASE WHEN first_joined_at <= \(bind: now - day) THEN 1 ELSE 0 END), 0) AS previous_day
            FROM take_trend_participants
            WHERE trend_id = \(bind: trend.rawValue) AND first_joined_at > \(bind: now - 2 * day) AND first_joined_at <= \(bind: now)
            """).first()
        func value(_ row: (any SQLRow)?, _ column: String) throws -> Int64 { try row?.decode(column: column, as: Int64?.self) ?? 0 }
        let (lastDay, previousDay) = (try value(joins, "last_day"), try value(joins, "previous_day"))
        return StatsRow(
            trendId: trend, computedAt: now, participants: try value(live, "participants"), takes: try value(live, "takes"),
            joinsLastHour: try value(joins, "last_hour"), joinsPreviousHour: try value(joins, "previous_hour"), joinsLastDay: lastDay,
            joinsPreviousDay: previousDay, growing: lastDay > 0 && lastDay >= previousDay)
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
            WHERE take_trend_stats.computed_at <= excluded.computed_at
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

    /// The origin Takes of growing trends with at least `minimum` creators, with their
    /// originators and the joins of their trend in the last day: the `limit` with the most.
    static func growingOrigins(minimum: Int, limit: Int, on db: any SQLDatabase) async throws -> [(take: PostID, originator: AccountID, joinsLastDay: Int64)] {
        try await db.raw("""
            SELECT t.origin_take_id AS take_id, t.originator_id AS originator_id, s.joins_last_day AS joins
            FROM take_trend_stats s JOIN take_trends t ON t.id = s.trend_id
            WHERE s.growing = \(bind: true) AND s.participants >= \(bind: minimum)
            ORDER BY s.joins_last_day DESC, s.trend_id DESC LIMIT \(bind: limit)
            """).all().map {
            (try $0.decode(column: "take_id", as: PostID.self), try $0.decode(column: "originator_id", as: AccountID.self),
             try $0.decode(column: "joins", as: Int64.self))
        }
    }

    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM take_trend_entries WHERE account_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM take_trend_participants WHERE account_id = \(bind: account.rawValue)").run()
    }
}
