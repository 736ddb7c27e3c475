import EntativaCore
import EntativaModels
import SQLKit

/// The SQL of authors' pull states (`feed_pull_states`). Every change announces itself to
/// `PullStates` in every instance; there are few rows (only big audiences ever get one), so
/// the whole table is one cache entry.
enum PullStateStore {
    static let cacheName = "feed-pull-states"

    static func all(on db: any SQLDatabase) async throws -> [AccountID: PullState] {
        var states: [AccountID: PullState] = [:]
        for row in try await db.raw("SELECT author_id, pull_below_post_id FROM feed_pull_states").all() {
            let below = try row.decodeNil(column: "pull_below_post_id") ? nil : try row.decode(column: "pull_below_post_id", as: PostID.self)
            states[try row.decode(column: "author_id", as: AccountID.self)] = below.map(PullState.pushedSince) ?? .pulled
        }
        return states
    }

    static func set(_ author: AccountID, to state: PullState, on db: any SQLDatabase) async throws {
        let below: Int64? = switch state {
        case .pulled: nil
        case .pushedSince(let post): post.rawValue
        }
        try await db.raw("""
            INSERT INTO feed_pull_states (author_id, pull_below_post_id) VALUES (\(bind: author.rawValue), \(bind: below))
            ON CONFLICT (author_id) DO UPDATE SET pull_below_post_id = excluded.pull_below_post_id
            """).run()
        try await db.announceChange(to: cacheName, key: "*")
    }

    static func insertPulled(_ authors: some Collection<AccountID>, on db: any SQLDatabase) async throws {
        guard !authors.isEmpty else { return }
        let rows: [SQLQueryString] = authors.map { "(\(bind: $0.rawValue), NULL)" }
        try await db.raw("INSERT INTO feed_pull_states (author_id, pull_below_post_id) VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING").run()
        try await db.announceChange(to: cacheName, key: "*")
    }

    static func remove(_ author: AccountID, on db: any SQLDatabase) async throws {
        let removed = try await db.raw("DELETE FROM feed_pull_states WHERE author_id = \(bind: author.rawValue) RETURNING author_id").all()
        if !removed.isEmpty { try await db.announceChange(to: cacheName, key: "*") }
    }
}
