import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// One kind of directed edge between accounts (a follow, a block, a mute …) and its SQL.
/// Every add and remove that changes something announces the pair to the graph cache and
/// publishes `GraphEdgeChanged` in the same transaction, so no use case can forget either.
struct Edge: Sendable {
    let kind: GraphEdgeKind
    let table: String
    let from: String
    let to: String

    static let follow = Edge(kind: .follow, table: "follows", from: "follower_id", to: "followee_id")
    static let followRequest = Edge(kind: .followRequest, table: "follow_requests", from: "requester_id", to: "target_id")
    static let block = Edge(kind: .block, table: "blocks", from: "blocker_id", to: "blocked_id")
    static let mute = Edge(kind: .mute, table: "mutes", from: "muter_id", to: "muted_id")
    static let closeFriend = Edge(kind: .closeFriend, table: "close_friends", from: "owner_id", to: "friend_id")
    static let friendship = Edge(kind: .friendship, table: "friendships", from: "account_id", to: "friend_id")

    /// Adds the edge; false if it was already there.
    @discardableResult
    func add(_ source: AccountID, _ target: AccountID, now: Int64, events: EventBus, on db: any SQLDatabase) async throws -> Bool {
        let added = try await !db.raw("""
            INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: from), \(unsafeRaw: to), created_at)
            VALUES (\(bind: source.rawValue), \(bind: target.rawValue), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING created_at
            """).all().isEmpty
        if added {
            try await PairStore.announceChange(between: source, and: target, on: db)
            try await events.publish(GraphEdgeChanged(kind: kind, sourceId: source, targetId: target, present: true), on: db)
        }
        return added
    }

    /// Removes the edge; false if there was none.
    @discardableResult
    func remove(_ source: AccountID, _ target: AccountID, events: EventBus, on db: any SQLDatabase) async throws -> Bool {
        let removed = try await !db.raw("""
            DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: from) = \(bind: source.rawValue) AND \(unsafeRaw: to) = \(bind: target.rawValue)
            RETURNING created_at
            """).all().isEmpty
        if removed {
            try await PairStore.announceChange(between: source, and: target, on: db)
            try await events.publish(GraphEdgeChanged(kind: kind, sourceId: source, targetId: target, present: false), on: db)
        }
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

/// The union of follows and friendships that decides whose posts reach whose home timeline.
enum HomeEdgeStore {
    /// Everyone `viewer` follows or is friends with and has not muted.
    static func sources(of viewer: AccountID, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT other FROM (
                SELECT followee_id AS other FROM follows WHERE follower_id = \(bind: viewer.rawValue)
                UNION SELECT friend_id AS other FROM friendships WHERE account_id = \(bind: viewer.rawValue)
            ) AS sources
            WHERE other NOT IN (SELECT muted_id FROM mutes WHERE muter_id = \(bind: viewer.rawValue))
            """).all().map { try $0.decode(column: "other", as: AccountID.self) }
    }

    /// Everyone who follows or is friends with `author`, by account ID after `after`.
    static func members(of author: AccountID, after: AccountID?, limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        let floor = after?.rawValue ?? 0
        return try await db.raw("""
            SELECT other FROM (
                SELECT follower_id AS other FROM follows WHERE followee_id = \(bind: author.rawValue) AND follower_id > \(bind: floor)
                UNION SELECT friend_id AS other FROM friendships WHERE account_id = \(bind: author.rawValue) AND friend_id > \(bind: floor)
            ) AS members ORDER BY other LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "other", as: AccountID.self) }
    }

    /// `viewer`'s circle: their close friends and the accounts they follow that follow them
    /// back, less muted ones.
    static func circle(of viewer: AccountID, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT other FROM (
                SELECT friend_id AS other FROM close_friends WHERE owner_id = \(bind: viewer.rawValue)
                UNION SELECT mine.followee_id AS other FROM follows mine
                    JOIN follows back ON back.follower_id = mine.followee_id AND back.followee_id = mine.follower_id
                    WHERE mine.follower_id = \(bind: viewer.rawValue)
            ) AS circle
            WHERE other NOT IN (SELECT muted_id FROM mutes WHERE muter_id = \(bind: viewer.rawValue))
            """).all().map { try $0.decode(column: "other", as: AccountID.self) }
    }
}
