import EntativaCore
import EntativaModels
import SQLKit

/// Reactions on posts and comments, with a count per kind kept beside them.
enum ReactionStore {
    enum Target: String, Sendable {
        case post
        case comment
    }

    /// Every statement that changes reactions, their counts or saves announces it to this cache
    /// (`Engagement`): `<target>-<id>` for counts, `<target>-<id>-<account>` for one account's own
    /// reaction or save (and the counts), `*` for many at once.
    static let cacheName = "engagement"

    static func announceChange(on target: Target, _ id: Int64, by account: AccountID?, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: "\(target.rawValue)-\(id)" + (account.map { "-\($0)" } ?? ""))
    }

    static func announceChangesToMany(on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: "*")
    }

    /// The caller's reaction on one target, if any.
    /// Locks the post or comment row until the transaction ends (PostgreSQL; SQLite has one writer).
    static func lockTarget(_ target: Target, _ id: Int64, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard engine == .postgres else { return }
        let table = target == .post ? "posts" : "comments"
        try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }

    static func kind(on target: Target, _ id: Int64, by account: AccountID, on db: any SQLDatabase) async throws -> ReactionKind? {
        try await db.raw("""
            SELECT kind FROM reactions WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id)
                AND account_id = \(bind: account.rawValue)
            """).first().map { try $0.decode(column: "kind", as: ReactionKind.self) }
    }

    static func insert(on target: Target, _ id: Int64, by account: AccountID, kind: ReactionKind, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO reactions (target_type, target_id, account_id, kind, created_at)
            VALUES (\(bind: target.rawValue), \(bind: id), \(bind: account.rawValue), \(bind: kind.rawValue), \(bind: now))
            """).run()
        try await count(on: target, id, kind: kind, delta: 1, on: db)
        try await announceChange(on: target, id, by: account, on: db)
    }

    static func change(on target: Target, _ id: Int64, by account: AccountID, from old: ReactionKind, to new: ReactionKind, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE reactions SET kind = \(bind: new.rawValue)
            WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """).run()
        try await count(on: target, id, kind: old, delta: -1, on: db)
        try await count(on: target, id, kind: new, delta: 1, on: db)
        try await announceChange(on: target, id, by: account, on: db)
    }

    static func delete(on target: Target, _ id: Int64, by account: AccountID, kind: ReactionKind, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM reactions WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """).run()
        try await count(on: target, id, kind: kind, delta: -1, on: db)
        try await announceChange(on: target, id, by: account, on: db)
    }

    private static func count(on target: Target, _ id: Int64, kind: ReactionKind, delta: Int, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO reaction_counts (target_type, target_id, kind, count)
            VALUES (\(bind: target.rawValue), \(bind: id), \(bind: kind.rawValue), \(bind: delta))
            ON CONFLICT (target_type, target_id, kind) DO UPDATE SET count = reaction_counts.count + \(bind: delta)
            """).run()
    }

    struct ReactorRow: Decodable {
        var accountId: Int64
        var kind: String
        var createdAt: Int64
    }

    /// Who reacted, newest first, after `cursor` (`<created_at>-<account id>`).
    static func reactors(on target: Target, _ id: Int64, kind: ReactionKind?, after cursor: (Int64, Int64)?, limit: Int, on db: any SQLDatabase) async throws -> [ReactorRow] {
        let time = cursor?.0 ?? Int64.max
        let account = cursor?.1 ?? Int64.max
        let kindFilter: SQLQueryString = kind.map { "AND kind = \(bind: $0.rawValue)" } ?? ""
        return try await db.raw("""
            SELECT account_id, kind, created_at FROM reactions
            WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) \(kindFilter)
              AND (created_at < \(bind: time) OR (created_at = \(bind: time) AND account_id < \(bind: account)))
            ORDER BY created_at DESC, account_id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(ReactorRow.self) }
    }

    /// Reaction counts per kind of each of `ids` that has any.
    static func counts(on target: Target, _ ids: [Int64], on db: any SQLDatabase) async throws -> [Int64: [String: Int]] {
        guard !ids.isEmpty else { return [:] }
        var counts: [Int64: [String: Int]] = [:]
        for row in try await db.raw("""
            SELECT target_id, kind, count AS n FROM reaction_counts
            WHERE target_type = \(bind: target.rawValue) AND target_id IN (\(binds: ids)) AND count > 0
            """).all() {
            counts[try row.decode(column: "target_id", as: Int64.self), default: [:]][try row.decode(column: "kind", as: String.self)] =
                try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// The viewer's own reaction on each of `ids`, and for posts whether they saved it, in one
    /// statement; targets without either are absent.
    static func own(on target: Target, _ ids: [Int64], by viewer: AccountID, on db: any SQLDatabase) async throws -> [Int64: OwnEngagement] {
        guard !ids.isEmpty else { return [:] }
        let saves: SQLQueryString = target == .post
            ? """
            UNION ALL SELECT post_id AS target_id, NULL AS kind FROM saves
            WHERE account_id = \(bind: viewer.rawValue) AND post_id IN (\(binds: ids))
            """
            : ""
        var own: [Int64: OwnEngagement] = [:]
        for row in try await db.raw("""
            SELECT target_id, kind FROM reactions
            WHERE target_type = \(bind: target.rawValue) AND account_id = \(bind: viewer.rawValue) AND target_id IN (\(binds: ids))
            \(saves)
            """).all() {
            let id = try row.decode(column: "target_id", as: Int64.self)
            if let kind = try row.decode(column: "kind", as: ReactionKind?.self) {
                own[id, default: OwnEngagement()].reaction = kind
            } else {
                own[id, default: OwnEngagement()].saved = true
            }
        }
        return own
    }
}

/// One account's own part in a post or comment.
struct OwnEngagement: Sendable, Equatable {
    var reaction: ReactionKind?
    var saved = false
}
