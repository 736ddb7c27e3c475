import EntativaCore
import EntativaModels
import SQLKit

/// The SQL of account suggestions: two-step walks over friendships and follows, and dismissals.
enum SuggestionStore {
    /// How many of the viewer's own edges a walk starts from (the newest): bounds what one
    /// suggestion read costs however many accounts the viewer follows.
    static let walkStarts = 500

    /// Friends of `viewer`'s friends, with how many friends each shares with the viewer, over the
    /// friendships made before `before` (the graph as it was then, for evaluations).
    static func friendsOfFriends(of viewer: AccountID, limit: Int, before: Int64 = .max, on db: any SQLDatabase) async throws -> [(AccountID, Int)] {
        try await db.raw("""
            SELECT second.friend_id AS candidate, COUNT(*) AS shared FROM friendships second
            WHERE second.account_id IN (
                SELECT friend_id FROM friendships WHERE account_id = \(bind: viewer.rawValue) AND created_at < \(bind: before)
                ORDER BY created_at DESC LIMIT \(bind: walkStarts))
              AND second.friend_id <> \(bind: viewer.rawValue) AND second.created_at < \(bind: before)
            GROUP BY second.friend_id ORDER BY shared DESC, candidate LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "candidate", as: AccountID.self), try $0.decode(column: "shared", as: Int.self)) }
    }

    /// Accounts followed by the accounts `viewer` follows, with how many of them follow each, over
    /// the follows made before `before`.
    static func coFollowed(by viewer: AccountID, limit: Int, before: Int64 = .max, on db: any SQLDatabase) async throws -> [(AccountID, Int)] {
        try await db.raw("""
            SELECT second.followee_id AS candidate, COUNT(*) AS shared FROM follows second
            WHERE second.follower_id IN (
                SELECT followee_id FROM follows WHERE follower_id = \(bind: viewer.rawValue) AND created_at < \(bind: before)
                ORDER BY created_at DESC LIMIT \(bind: walkStarts))
              AND second.followee_id <> \(bind: viewer.rawValue) AND second.created_at < \(bind: before)
            GROUP BY second.followee_id ORDER BY shared DESC, candidate LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "candidate", as: AccountID.self), try $0.decode(column: "shared", as: Int.self)) }
    }

    /// Accounts with at least `minimum` follows, in a fixed order that is not the ID's (so a
    /// sample is not only the oldest accounts).
    static func evaluationSample(minimumFollows minimum: Int, limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT follower_id FROM follows GROUP BY follower_id HAVING COUNT(*) >= \(bind: minimum)
            ORDER BY follower_id % 7919, follower_id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "follower_id", as: AccountID.self) }
    }

    /// `account`'s follows, oldest first.
    static func follows(of account: AccountID, on db: any SQLDatabase) async throws -> [(AccountID, Int64)] {
        try await db.raw("""
            SELECT followee_id, created_at FROM follows WHERE follower_id = \(bind: account.rawValue) ORDER BY created_at, followee_id
            """).all().map { (try $0.decode(column: "followee_id", as: AccountID.self), try $0.decode(column: "created_at", as: Int64.self)) }
    }

    /// `account`'s friends befriended before `before`.
    static func friends(of account: AccountID, before: Int64, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT friend_id FROM friendships WHERE account_id = \(bind: account.rawValue) AND created_at < \(bind: before)
            """).all().map { try $0.decode(column: "friend_id", as: AccountID.self) }
    }

    /// The most followed accounts, most first.
    static func mostFollowed(limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT followee_id FROM follows GROUP BY followee_id ORDER BY COUNT(*) DESC, followee_id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "followee_id", as: AccountID.self) }
    }

    static func dismissed(by viewer: AccountID, on db: any SQLDatabase) async throws -> Set<AccountID> {
        Set(try await db.raw("SELECT dismissed_id FROM suggestion_dismissals WHERE account_id = \(bind: viewer.rawValue)").all()
            .map { try $0.decode(column: "dismissed_id", as: AccountID.self) })
    }

    static func dismiss(_ account: AccountID, by viewer: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO suggestion_dismissals (account_id, dismissed_id, created_at)
            VALUES (\(bind: viewer.rawValue), \(bind: account.rawValue), \(bind: now)) ON CONFLICT DO NOTHING
            """).run()
    }

    static func removeAll(involving account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM suggestion_dismissals WHERE account_id = \(bind: account.rawValue) OR dismissed_id = \(bind: account.rawValue)
            """).run()
    }
}

struct CreateSuggestionDismissals: SQLMigration {
    let name = "graph.0003_suggestion_dismissals"

    func prepare(sql: any SQLDatabase) async throws {
        // Accounts a viewer asked not to be suggested again.
        try await sql.create(table: "suggestion_dismissals")
            .column("account_id", type: .bigint, .notNull)
            .column("dismissed_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("account_id", "dismissed_id")
            .run()
        try await sql.create(index: "suggestion_dismissals_reverse").on("suggestion_dismissals").column("dismissed_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "suggestion_dismissals").ifExists().run()
    }
}
