import EntativaCore
import EntativaModels
import SQLKit

/// A waiting friend request, addressed by its two accounts.
struct FriendRequestRow: Decodable, Sendable {
    var id: Int64
    /// The other side: the sender of an incoming request, the recipient of an outgoing one.
    var other: AccountID
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, other
        case createdAt = "created_at"
    }
}

/// `friend_requests` (waiting requests) and `friend_request_sends` (the daily sending log).
enum FriendRequestStore {
    /// The row ID of the request `from` sent `to`, if one waits.
    static func pending(from: AccountID, to: AccountID, on db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("""
            SELECT id FROM friend_requests WHERE from_id = \(bind: from.rawValue) AND to_id = \(bind: to.rawValue)
            """).first().map { try $0.decode(column: "id", as: Int64.self) }
    }

    static func waitingCount(from account: AccountID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM friend_requests WHERE from_id = \(bind: account.rawValue)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// When `account` sent each request since `since`, oldest first.
    static func sendTimes(of account: AccountID, since: Int64, on db: any SQLDatabase) async throws -> [Int64] {
        try await db.raw("""
            SELECT created_at FROM friend_request_sends WHERE from_id = \(bind: account.rawValue) AND created_at > \(bind: since)
            ORDER BY created_at
            """).all().map { try $0.decode(column: "created_at", as: Int64.self) }
    }

    /// Stores a waiting request and logs the send against the sender's daily allowance.
    static func add(id: Int64, from: AccountID, to: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO friend_requests (id, from_id, to_id, created_at)
            VALUES (\(bind: id), \(bind: from.rawValue), \(bind: to.rawValue), \(bind: now))
            """).run()
        try await db.raw("INSERT INTO friend_request_sends (from_id, created_at) VALUES (\(bind: from.rawValue), \(bind: now))").run()
    }

    static func delete(_ id: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM friend_requests WHERE id = \(bind: id)").run()
    }

    /// Drops requests either way between two accounts (one blocked the other).
    static func deleteBetween(_ first: AccountID, _ second: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM friend_requests WHERE (from_id = \(bind: first.rawValue) AND to_id = \(bind: second.rawValue))
                OR (from_id = \(bind: second.rawValue) AND to_id = \(bind: first.rawValue))
            """).run()
    }

    /// Withdraws the request `from` sent `to`; false when none waited.
    static func delete(from: AccountID, to: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            DELETE FROM friend_requests WHERE from_id = \(bind: from.rawValue) AND to_id = \(bind: to.rawValue)
            RETURNING id
            """).all().isEmpty
    }

    /// Requests `account` received (`incoming`) or sent, newest first, below `before`.
    static func page(of account: AccountID, incoming: Bool, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [FriendRequestRow] {
        let (mine, other) = incoming ? ("to_id", "from_id") : ("from_id", "to_id")
        return try await db.raw("""
            SELECT id, \(unsafeRaw: other) AS other, created_at FROM friend_requests
            WHERE \(unsafeRaw: mine) = \(bind: account.rawValue) AND id < \(bind: before ?? Int64.max)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(FriendRequestRow.self) }
    }
}
