import EntativaCore
import EntativaModels
import SQLKit

/// Search history and query statistics.
enum HistoryStore {
    struct Entry: Sendable, Equatable, Decodable {
        var id: Int64
        var query: String
        var createdAt: Int64
    }

    static func optedOut(_ account: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS found FROM search_history_optouts WHERE account_id = \(bind: account.rawValue)").first() != nil
    }

    static func setOptedOut(_ account: AccountID, _ out: Bool, on db: any SQLDatabase) async throws {
        if out {
            try await db.raw("INSERT INTO search_history_optouts (account_id) VALUES (\(bind: account.rawValue)) ON CONFLICT DO NOTHING").run()
        } else {
            try await db.raw("DELETE FROM search_history_optouts WHERE account_id = \(bind: account.rawValue)").run()
        }
    }

    /// Records a query, moving an earlier copy of it to the top, and keeps the newest `keep`.
    static func record(_ query: String, key: String, id: Int64, for account: AccountID, now: Int64, keep: Int, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM search_history WHERE account_id = \(bind: account.rawValue) AND query_key = \(bind: key)").run()
        try await db.raw("""
            INSERT INTO search_history (account_id, id, query, query_key, created_at)
            VALUES (\(bind: account.rawValue), \(bind: id), \(bind: query), \(bind: key), \(bind: now))
            """).run()
        try await db.raw("""
            DELETE FROM search_history WHERE account_id = \(bind: account.rawValue) AND id < (
                SELECT MIN(id) FROM (SELECT id FROM search_history WHERE account_id = \(bind: account.rawValue) ORDER BY id DESC LIMIT \(bind: keep)) newest)
            """).run()
    }

    static func list(of account: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [Entry] {
        try await db.raw("""
            SELECT id, query, created_at FROM search_history WHERE account_id = \(bind: account.rawValue) AND id < \(bind: before ?? .max)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(Entry.self) }
    }

    /// Whether there was such an entry of `account`'s.
    static func delete(_ id: Int64, of account: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("DELETE FROM search_history WHERE account_id = \(bind: account.rawValue) AND id = \(bind: id) RETURNING id").first() != nil
    }

    static func clear(_ account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM search_history WHERE account_id = \(bind: account.rawValue)").run()
    }

    static func forget(_ account: AccountID, on db: any SQLDatabase) async throws {
        try await clear(account, on: db)
        try await setOptedOut(account, false, on: db)
    }

    static func count(_ key: String, day: Int64, zeroResults: Bool, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO search_query_stats (day, query_key, searches, zero_results) VALUES (\(bind: day), \(bind: key), 1, \(unsafeRaw: zeroResults ? "1" : "0"))
            ON CONFLICT (day, query_key) DO UPDATE SET searches = search_query_stats.searches + 1,
                zero_results = search_query_stats.zero_results + excluded.zero_results
            """).run()
    }

    static func dropStats(before day: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM search_query_stats WHERE day < \(bind: day)").run()
    }

    struct QueryStat: Sendable, Equatable, Decodable {
        var queryKey: String
        var searches: Int64
        var zeroResults: Int64
    }

    /// Queries searched at least `minimum` times since `day`, by searches or by searches that found nothing.
    static func top(since day: Int64, zeroResultsOnly: Bool, minimum: Int, limit: Int, on db: any SQLDatabase) async throws -> [QueryStat] {
        let order = zeroResultsOnly ? "zero_results" : "searches"
        return try await db.raw("""
            SELECT query_key, CAST(SUM(searches) AS BIGINT) AS searches, CAST(SUM(zero_results) AS BIGINT) AS zero_results FROM search_query_stats
            WHERE day >= \(bind: day) GROUP BY query_key
            HAVING SUM(searches) >= \(bind: minimum)\(unsafeRaw: zeroResultsOnly ? " AND SUM(zero_results) > 0" : "")
            ORDER BY \(unsafeRaw: order) DESC, query_key LIMIT \(bind: limit)
            """).all().map { try $0.decode(QueryStat.self) }
    }
}
