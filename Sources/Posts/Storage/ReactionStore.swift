import EntativaCore
import EntativaModels
import SQLKit

/// Reactions on posts and comments, with a count per kind kept beside them.
enum ReactionStore {
    enum Target: String, Sendable {
        case post
        case comment
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
    }

    static func change(on target: Target, _ id: Int64, by account: AccountID, from old: ReactionKind, to new: ReactionKind, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE reactions SET kind = \(bind: new.rawValue)
            WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """).run()
        try await count(on: target, id, kind: old, delta: -1, on: db)
        try await count(on: target, id, kind: new, delta: 1, on: db)
    }

    static func delete(on target: Target, _ id: Int64, by account: AccountID, kind: ReactionKind, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM reactions WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """).run()
        try await count(on: target, id, kind: kind, delta: -1, on: db)
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

    /// Summaries for many targets, as the viewer sees them: the counts and the viewer's own
    /// reactions in one statement, as every page of posts or comments needs both.
    static func summaries(on target: Target, _ ids: [Int64], viewer: AccountID?, on db: any SQLDatabase) async throws -> [Int64: ReactionSummary] {
        guard !ids.isEmpty else { return [:] }
        let mine: SQLQueryString = viewer.map {
            """
            UNION ALL SELECT target_id, kind, 0 AS n, 1 AS mine FROM reactions
            WHERE target_type = \(bind: target.rawValue) AND account_id = \(bind: $0.rawValue) AND target_id IN (\(binds: ids))
            """
        } ?? ""
        let rows = try await db.raw("""
            SELECT target_id, kind, count AS n, 0 AS mine FROM reaction_counts
            WHERE target_type = \(bind: target.rawValue) AND target_id IN (\(binds: ids)) AND count > 0
            \(mine)
            """).all()
        var counts: [Int64: [String: Int]] = [:]
        var own: [Int64: ReactionKind] = [:]
        for row in rows {
            let id = try row.decode(column: "target_id", as: Int64.self)
            if try row.decode(column: "mine", as: Int.self) == 1 {
                own[id] = try row.decode(column: "kind", as: ReactionKind.self)
            } else {
                counts[id, default: [:]][try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
        }
        var result: [Int64: ReactionSummary] = [:]
        for id in ids {
            let perKind = counts[id] ?? [:]
            result[id] = ReactionSummary(total: perKind.values.reduce(0, +), counts: perKind, mine: own[id])
        }
        return result
    }
}
