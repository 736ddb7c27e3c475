import EntativaCore
import EntativaModels
import SQLKit

/// Every edge between one account and each of many others, both ways, for the read path's
/// cache (`GraphCaches`). Each edge write announces the pair it changed.
enum PairStore {
    static let cacheName = "graph"

    /// The edges `source` → `target` of some kind changed (either order empties both).
    static func announceChange(between source: AccountID, and target: AccountID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: "\(source)-\(target)")
    }

    /// Many pairs changed at once (an account's erasure).
    static func announceChangesToMany(on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: "*")
    }

    /// Pair keys are `<source>-<target>`; anything else means "everything".
    static func pair(from key: String) -> AccountPair? {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = AccountID(String(parts[0])), let second = AccountID(String(parts[1])) else { return nil }
        return AccountPair(first, second)
    }

    /// How `account` stands with those of `others` it has an edge with, either way, in one statement: each part reads one index
    /// (the primary key from `account`, `<table>_reverse` towards it). Friendships are stored from
    /// both sides, so the account's own rows say it all.
    static func edges(of account: AccountID, with others: [AccountID], on db: any SQLDatabase) async throws -> [AccountID: PairEdges] {
        guard !others.isEmpty else { return [:] }
        let me = account.rawValue
        let ids = others.map(\.rawValue)
        let directed: [(Edge, outgoing: PairEdges, incoming: PairEdges)] = [
            (.follow, .following, .followedBy), (.followRequest, .requested, .requestedBy), (.block, .blocking, .blockedBy),
            (.mute, .muting, .mutedBy), (.closeFriend, .closeFriend, .closeFriendOf),
        ]
        var parts: [SQLQueryString] = []
        for (edge, outgoing, incoming) in directed {
            parts.append("""
                SELECT \(unsafeRaw: String(outgoing.rawValue)) AS flag, \(unsafeRaw: edge.to) AS other FROM \(unsafeRaw: edge.table)
                WHERE \(unsafeRaw: edge.from) = \(bind: me) AND \(unsafeRaw: edge.to) IN (\(binds: ids))
                """)
            parts.append("""
                SELECT \(unsafeRaw: String(incoming.rawValue)) AS flag, \(unsafeRaw: edge.from) AS other FROM \(unsafeRaw: edge.table)
                WHERE \(unsafeRaw: edge.to) = \(bind: me) AND \(unsafeRaw: edge.from) IN (\(binds: ids))
                """)
        }
        parts.append("""
            SELECT \(unsafeRaw: String(PairEdges.friends.rawValue)) AS flag, friend_id AS other FROM friendships
            WHERE account_id = \(bind: me) AND friend_id IN (\(binds: ids))
            """)
        var edges: [AccountID: PairEdges] = [:]
        for row in try await db.raw(parts.joined(separator: " UNION ALL ")).all() {
            let other = try row.decode(column: "other", as: AccountID.self)
            let flag = PairEdges(rawValue: try row.decode(column: "flag", as: Int.self))
            edges[other, default: []].formUnion(flag)
        }
        return edges
    }
}

/// What lies between one account (the first of the pair) and another, both ways.
struct PairEdges: OptionSet, Sendable, Hashable {
    let rawValue: Int

    static let following = PairEdges(rawValue: 1 << 0)
    static let followedBy = PairEdges(rawValue: 1 << 1)
    static let requested = PairEdges(rawValue: 1 << 2)
    static let requestedBy = PairEdges(rawValue: 1 << 3)
    static let blocking = PairEdges(rawValue: 1 << 4)
    static let blockedBy = PairEdges(rawValue: 1 << 5)
    static let muting = PairEdges(rawValue: 1 << 6)
    static let mutedBy = PairEdges(rawValue: 1 << 7)
    /// The other account is on the first's close-friends list.
    static let closeFriend = PairEdges(rawValue: 1 << 8)
    /// The first account is on the other's close-friends list.
    static let closeFriendOf = PairEdges(rawValue: 1 << 9)
    static let friends = PairEdges(rawValue: 1 << 10)
}
