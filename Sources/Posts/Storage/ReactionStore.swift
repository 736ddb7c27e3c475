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

    /// What setting an account's reaction did.
    enum Outcome: Equatable {
        case unchanged
        case added
        case changed(from: ReactionKind)
    }

    /// Sets `account`'s reaction on one target, locking only that account's row: concurrent
    /// reactors of a popular post do not queue behind each other here, only at the counters.
    static func set(
        on target: Target, _ id: Int64, by account: AccountID, kind: ReactionKind, now: Int64, forUpdate: String, on db: any SQLDatabase
    ) async throws -> Outcome {
        // A second pass only when the same account's concurrent request inserted first.
        for _ in 0..<2 {
            if let existing = try await lockedKind(on: target, id, by: account, forUpdate: forUpdate, on: db) {
                guard existing != kind else { return .unchanged }
                try await db.raw("""
                    UPDATE reactions SET kind = \(bind: kind.rawValue)
                    WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) AND account_id = \(bind: account.rawValue)
                    """).run()
                try await announceChange(on: target, id, by: account, on: db)
                return .changed(from: existing)
            }
            let inserted = try await db.raw("""
                INSERT INTO reactions (target_type, target_id, account_id, kind, created_at)
                VALUES (\(bind: target.rawValue), \(bind: id), \(bind: account.rawValue), \(bind: kind.rawValue), \(bind: now))
                ON CONFLICT (target_type, target_id, account_id) DO NOTHING
                RETURNING account_id
                """).all()
            if !inserted.isEmpty {
                try await announceChange(on: target, id, by: account, on: db)
                return .added
            }
        }
        throw AppError.conflict("The reaction changed meanwhile; try again.")
    }

    /// Removes `account`'s reaction, returning the kind it had (nil when there was none).
    static func remove(on target: Target, _ id: Int64, by account: AccountID, forUpdate: String, on db: any SQLDatabase) async throws -> ReactionKind? {
        guard let existing = try await lockedKind(on: target, id, by: account, forUpdate: forUpdate, on: db) else { return nil }
        try await db.raw("""
            DELETE FROM reactions WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """).run()
        try await announceChange(on: target, id, by: account, on: db)
        return existing
    }

    private static func lockedKind(on target: Target, _ id: Int64, by account: AccountID, forUpdate: String, on db: any SQLDatabase) async throws -> ReactionKind? {
        try await db.raw("""
            SELECT kind FROM reactions WHERE target_type = \(bind: target.rawValue) AND target_id = \(bind: id)
                AND account_id = \(bind: account.rawValue)\(unsafeRaw: forUpdate)
            """).first().map { try $0.decode(column: "kind", as: ReactionKind.self) }
    }

    /// Adds `deltas` to the per-kind counts in one statement. The rows are locked in kind order,
    /// so two accounts swapping kinds in opposite directions cannot deadlock; callers run this
    /// last in their transaction, so the hot rows stay locked only until the commit.
    static func count(on target: Target, _ id: Int64, deltas: [ReactionKind: Int], on db: any SQLDatabase) async throws {
        let ordered = deltas.filter { $0.value != 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
        guard !ordered.isEmpty else { return }
        let rows = ordered.map { SQLGroupExpression([SQLBind(target.rawValue), SQLBind(id), SQLBind($0.key.rawValue), SQLBind($0.value)]) }
        try await db.raw("""
            INSERT INTO reaction_counts (target_type, target_id, kind, count)
            VALUES \(SQLList(rows))
            ON CONFLICT (target_type, target_id, kind) DO UPDATE SET count = reaction_counts.count + excluded.count
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
