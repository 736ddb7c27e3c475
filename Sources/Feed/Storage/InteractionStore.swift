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
        guard !interactions.isEmpty else { return }
        try await db.raw(insert(interactions)).run()
    }

    /// Records the interactions whose event IDs are new; answers how many were.
    static func recordNew(_ interactions: [Interaction], on db: any SQLDatabase) async throws -> Int {
        guard !interactions.isEmpty else { return 0 }
        return try await db.raw(insert(interactions)).all().count
    }

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

    /// `viewer`'s interactions with each of `authors` since `since`: (author, weight, when).
    static func history(of viewer: AccountID, with authors: [AccountID], since: Int64, on db: any SQLDatabase) async throws -> [(
        author: AccountID, weight: Int, at: Int64
    )] {
        guard !authors.isEmpty else { return [] }
        return try await db.raw("""
            SELECT author_id, weight, created_at FROM feed_interactions
            WHERE viewer_id = \(bind: viewer.rawValue) AND created_at >= \(bind: since) AND author_id IN (\(binds: authors.map(\.rawValue)))
            """).all().map {
            (try $0.decode(column: "author_id", as: AccountID.self), try $0.decode(column: "weight", as: Int.self), try $0.decode(column: "created_at", as: Int64.self))
        }
    }

    static func removeAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM feed_interactions WHERE viewer_id = \(bind: account.rawValue) OR author_id = \(bind: account.rawValue)
            """).run()
    }

    static func purge(before: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM feed_interactions WHERE created_at < \(bind: before)").run()
    }
}
