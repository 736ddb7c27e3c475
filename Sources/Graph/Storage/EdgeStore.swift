import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// One kind of directed edge between accounts (a follow, a block, a mute …) and its SQL.
struct Edge: Sendable {
    let table: String
    let from: String
    let to: String

    static let follow = Edge(table: "follows", from: "follower_id", to: "followee_id")
    static let followRequest = Edge(table: "follow_requests", from: "requester_id", to: "target_id")
    static let block = Edge(table: "blocks", from: "blocker_id", to: "blocked_id")
    static let mute = Edge(table: "mutes", from: "muter_id", to: "muted_id")
    static let closeFriend = Edge(table: "close_friends", from: "owner_id", to: "friend_id")
    static let friendship = Edge(table: "friendships", from: "account_id", to: "friend_id")

    /// Adds the edge; false if it was already there.
    @discardableResult
    func add(_ source: AccountID, _ target: AccountID, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let added = try await !db.raw("""
            INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: from), \(unsafeRaw: to), created_at)
            VALUES (\(bind: source.rawValue), \(bind: target.rawValue), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING created_at
            """).all().isEmpty
        if added { try await PairStore.announceChange(between: source, and: target, on: db) }
        return added
    }

    /// Removes the edge; false if there was none.
    @discardableResult
    func remove(_ source: AccountID, _ target: AccountID, on db: any SQLDatabase) async throws -> Bool {
        let removed = try await !db.raw("""
            DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: from) = \(bind: source.rawValue) AND \(unsafeRaw: to) = \(bind: target.rawValue)
            RETURNING created_at
            """).all().isEmpty
        if removed { try await PairStore.announceChange(between: source, and: target, on: db) }
        return removed
    }

    func exists(_ source: AccountID, _ target: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS present FROM \(unsafeRaw: table)
            WHERE \(unsafeRaw: from) = \(bind: source.rawValue) AND \(unsafeRaw: to) = \(bind: target.rawValue)
            """).first() != nil
    }

    /// How many edges leave `source`.
    func count(from source: AccountID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: from) = \(bind: source.rawValue)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Targets `source` points at among `targets`.
    func targets(of source: AccountID, among targets: [AccountID], on db: any SQLDatabase) async throws -> Set<Int64> {
        guard !targets.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT \(unsafeRaw: to) AS other FROM \(unsafeRaw: table)
            WHERE \(unsafeRaw: from) = \(bind: source.rawValue) AND \(unsafeRaw: to) IN (\(binds: targets.map(\.rawValue)))
            """).all().map { try $0.decode(column: "other", as: Int64.self) })
    }

    /// Every edge from one of `sources` to one of `targets`, as (source, target).
    func pairs(from sources: [AccountID], to targets: [AccountID], on db: any SQLDatabase) async throws -> Set<AccountPair> {
        guard !sources.isEmpty, !targets.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT \(unsafeRaw: from) AS source, \(unsafeRaw: to) AS target FROM \(unsafeRaw: table)
            WHERE \(unsafeRaw: from) IN (\(binds: sources.map(\.rawValue))) AND \(unsafeRaw: to) IN (\(binds: targets.map(\.rawValue)))
            """).all().map {
            AccountPair(try $0.decode(column: "source", as: AccountID.self), try $0.decode(column: "target", as: AccountID.self))
        })
    }

    /// Sources among `sources` that point at `target`.
    func sources(pointingAt target: AccountID, among sources: [AccountID], on db: any SQLDatabase) async throws -> Set<Int64> {
        guard !sources.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT \(unsafeRaw: from) AS other FROM \(unsafeRaw: table)
            WHERE \(unsafeRaw: to) = \(bind: target.rawValue) AND \(unsafeRaw: from) IN (\(binds: sources.map(\.rawValue)))
            """).all().map { try $0.decode(column: "other", as: Int64.self) })
    }

    /// The accounts on the other end, newest edge first, after `cursor` (the last item of the
    /// previous page). Edges made in the same millisecond are ordered by account ID, so no page
    /// boundary loses one.
    func list(_ account: AccountID, outgoing: Bool, after cursor: EdgeCursor?, limit: Int, on db: any SQLDatabase) async throws -> [EdgeCursor] {
        let mine = outgoing ? from : to
        let other = outgoing ? to : from
        let time = cursor?.createdAt ?? Int64.max
        let id = cursor?.account ?? Int64.max
        return try await db.raw("""
            SELECT \(unsafeRaw: other) AS other, created_at FROM \(unsafeRaw: table)
            WHERE \(unsafeRaw: mine) = \(bind: account.rawValue)
              AND (created_at < \(bind: time) OR (created_at = \(bind: time) AND \(unsafeRaw: other) < \(bind: id)))
            ORDER BY created_at DESC, \(unsafeRaw: other) DESC LIMIT \(bind: limit)
            """).all().map { EdgeCursor(createdAt: try $0.decode(column: "created_at", as: Int64.self), account: try $0.decode(column: "other", as: Int64.self)) }
    }
}

/// One kind of edge count: the edges of `edge` leaving (`outgoing`) or reaching an account.
struct EdgeCount: Sendable {
    /// A label of ours (letters and `_` only); it is written into the SQL as a literal.
    let label: String
    let edge: Edge
    let outgoing: Bool

    /// Every kind counted for every one of `accounts` in one statement: one `COUNT … GROUP BY`
    /// per kind, joined by `UNION ALL`. Accounts without edges of a kind are left out of it.
    static func counts(_ kinds: [EdgeCount], of accounts: [AccountID], on db: any SQLDatabase) async throws -> [String: [AccountID: Int]] {
        guard !accounts.isEmpty, !kinds.isEmpty else { return [:] }
        let ids = accounts.map(\.rawValue)
        let parts: [SQLQueryString] = kinds.map { kind in
            precondition(kind.label.allSatisfy { $0.isLetter || $0 == "_" })
            let column = kind.outgoing ? kind.edge.from : kind.edge.to
            return """
                SELECT '\(unsafeRaw: kind.label)' AS kind, \(unsafeRaw: column) AS account, COUNT(*) AS n FROM \(unsafeRaw: kind.edge.table)
                WHERE \(unsafeRaw: column) IN (\(binds: ids)) GROUP BY \(unsafeRaw: column)
                """
        }
        var counts: [String: [AccountID: Int]] = [:]
        for row in try await db.raw(parts.joined(separator: " UNION ALL ")).all() {
            let account = try row.decode(column: "account", as: AccountID.self)
            counts[try row.decode(column: "kind", as: String.self), default: [:]][account] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}

/// A position in an edge list, written `<created_at>-<account id>` on the wire.
struct EdgeCursor: Sendable, Equatable {
    var createdAt: Int64
    var account: Int64

    init(createdAt: Int64, account: Int64) {
        self.createdAt = createdAt
        self.account = account
    }

    init(_ position: KeysetCursor) {
        self.init(createdAt: position.first, account: position.second)
    }

    var text: String { KeysetCursor(createdAt, account).text }
}
