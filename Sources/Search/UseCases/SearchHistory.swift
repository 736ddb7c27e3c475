import EntativaCore
import EntativaModels
import Foundation

/// My recent searches (unless I opt out), and what administrators learn of searches: per-day
/// counts of folded queries, listed only once searched `minimumSearches` times, so no one's
/// single odd query shows.
struct SearchHistory: Sendable {
    let env: SearchEnvironment
    /// Entries kept per account.
    static let kept = 100
    static let minimumSearches = 5
    /// Days of query counts kept: analytics look back at most this far.
    static let statsDays: Int64 = 90

    struct Purge: Codable, Sendable {}
    static let purgeJob = JobDefinition<Purge>("search.purge_query_stats", maxAttempts: 3)

    /// Drops query counts older than `statsDays` once a day, so random queries cannot pile up.
    func registerJobs() throws {
        let env = self.env
        env.kernel.jobs.register(Self.purgeJob) { _ in
            try await HistoryStore.dropStats(before: env.now / 86_400_000 - Self.statsDays, on: env.database.sql)
        }
        try env.kernel.jobs.every(Self.purgeJob, interval: .seconds(86_400), payload: Purge())
    }

    /// The form a query is counted and de-duplicated in: folded, single spaces, 100 characters.
    static func key(_ text: String) -> String {
        let words = SearchText.fold(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return String(String.UnicodeScalarView(words.unicodeScalars.prefix(100)))
    }

    /// Remembers the first page of a search: in my history, and in the day's counts.
    func record(_ request: SearchRequest, found results: SearchResults, viewer: Principal?) async throws {
        guard request.cursor == nil else { return }
        let key = Self.key(request.text)
        let empty = [results.accounts?.items.isEmpty, results.posts?.items.isEmpty, results.takes?.items.isEmpty, results.hashtags?.items.isEmpty]
            .allSatisfy { $0 ?? true }
        let now = env.now
        let id = env.kernel.ids.next()
        try await env.database.transaction { db in
            try await HistoryStore.count(key, day: now / 86_400_000, zeroResults: empty, on: db)
            guard let viewer, !(try await HistoryStore.optedOut(viewer.accountID, on: db)) else { return }
            try await HistoryStore.record(request.text, key: key, id: id, for: viewer.accountID, now: now, keep: Self.kept, on: db)
        }
    }

    func list(_ caller: Principal, page: PageRequest) async throws -> Page<SearchHistoryEntry> {
        let entries = try await HistoryStore.list(of: caller.accountID, before: page.before, limit: page.limit + 1, on: env.database.sql)
        return page.page(entries.map { SearchHistoryEntry(id: SearchHistoryID(rawValue: $0.id), query: $0.query, createdAt: Date(millisecondsSince1970: $0.createdAt)) }) { $0.id.rawValue }
    }

    func delete(_ id: SearchHistoryID, caller: Principal) async throws {
        guard try await HistoryStore.delete(id.rawValue, of: caller.accountID, on: env.database.sql) else { throw AppError.notFound("history entry") }
    }

    func clear(_ caller: Principal) async throws {
        try await HistoryStore.clear(caller.accountID, on: env.database.sql)
    }

    func settings(_ caller: Principal) async throws -> SearchHistorySettings {
        SearchHistorySettings(enabled: !(try await HistoryStore.optedOut(caller.accountID, on: env.database.sql)))
    }

    /// Turning history off also forgets what it held.
    func update(_ caller: Principal, _ settings: SearchHistorySettings) async throws -> SearchHistorySettings {
        try await env.database.transaction { db in
            try await HistoryStore.setOptedOut(caller.accountID, !settings.enabled, on: db)
            if !settings.enabled { try await HistoryStore.clear(caller.accountID, on: db) }
        }
        return settings
    }

    /// Top or zero-result queries of the last `days` days (administrators and moderators).
    func queries(_ caller: Principal, zeroResults: Bool, days: Int, limit: Int) async throws -> [SearchQueryStat] {
        guard caller.role >= .moderator else { throw AppError.forbidden("Only moderators and administrators see search analytics.") }
        let since = env.now / 86_400_000 - Int64(days - 1)
        return try await HistoryStore.top(since: since, zeroResultsOnly: zeroResults, minimum: Self.minimumSearches, limit: limit, on: env.database.sql)
            .map { SearchQueryStat(query: $0.queryKey, searches: Int($0.searches), zeroResults: Int($0.zeroResults)) }
    }
}
