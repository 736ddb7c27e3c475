import EntativaCore
import EntativaModels
import SQLKit

/// The SQL of recorded interactions, the history affinity is computed from.
enum InteractionStore {
    struct Interaction: Sendable {
        var eventId: Int64
        var viewer: AccountID
        var author: AccountID
        var weight: Int
        var at: Int64
    }

    static func record(_ interactions: [Interaction], on db: any SQLDatabase) async throws {
        _ = try await recordNew(interactions, on: db)
    }

    /// Records the interactions whose event IDs are new; answers how many were.
    static func recordNew(_ interactions: [Interaction], on db: any SQLDatabase) async throws -> Int {
        guard !interactions.isEmpty else { return 0 }
        let new = try await db.raw(insert(interactions)).all().count
        if new > 0 { try await db.announceChanges(to: cacheName, keys: Set(interactions.map(\.viewer)).map(\.description)) }
        return new
    }

    /// Every change to a viewer's interactions announces the viewer to `ReaderHistory`.
    static let cacheName = "feed-interactions"

    /// The statement that records `interactions` (at least one), skipping event IDs already
    /// recorded and answering the new rows' event IDs.
    static func insert(_ interactions: some Collection<Interaction>) -> SQLQueryString {
        let rows: [SQLQueryString] = interactions.map {
            "(\(bind: $0.eventId), \(bind: $0.viewer.rawValue), \(bind: $0.author.rawValue), \(bind: $0.weight), \(bind: $0.at))"
        }
        return """
            INSERT INTO feed_interactions (event_id, viewer_id, author_id, weight, created_at)
            VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING RETURNING event_id
            """
    }

    /// `viewer`'s interactions with anyone since `since`: (author, weight, when).
    static func history(of viewer: AccountID, since: Int64, on db: any SQLDatabase) async throws -> [(
        author: AccountID, weight: Int, at: Int64
    )] {
        try await db.raw("""
            SELECT author_id, weight, created_at FROM feed_interactions
            WHERE viewer_id = \(bind: viewer.rawValue) AND created_at >= \(bind: since)
            """).all().map {
            (try $0.decode(column: "author_id", as: AccountID.self), try $0.decode(column: "weight", as: Int.self), try $0.decode(column: "created_at", as: Int64.self))
        }
    }

    static func removeAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM feed_interactions WHERE viewer_id = \(bind: account.rawValue) OR author_id = \(bind: account.rawValue)
            """).run()
        try await db.announceChange(to: cacheName, key: "*")
    }

    static func purge(before: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM feed_interactions WHERE created_at < \(bind: before)").run()
        try await db.announceChange(to: cacheName, key: "*")
    }
}
