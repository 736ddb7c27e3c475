import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Notifications and their groups. How a batch joins the groups is decided by `GroupingPlanner`;
/// this store reads what the planner needs and writes what it decided.
enum NotificationStore {
    /// Serialises writers of the same recipients' notifications and groups until the transaction
    /// ends (PostgreSQL; SQLite has one writer): groups are read, counted in memory and written
    /// back, so a read mark or a deletion must not slip in between. Taken in ascending order, so
    /// two writers never wait on each other in a cycle.
    static func lock(_ accounts: [AccountID], engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard engine == .postgres, !accounts.isEmpty else { return }
        let list = Array(Set(accounts)).sorted().map(\.description).joined(separator: ",")
        try await db.raw("SELECT pg_advisory_xact_lock(k) FROM unnest(ARRAY[\(unsafeRaw: list)]::bigint[]) AS k ORDER BY k").run()
    }

    /// Recounts a group after notifications left it or were read; a recount can't drift.
    static func refresh(groupID group: NotificationGroupID, on db: any SQLDatabase) async throws {
        let groupID = group.rawValue
        try await db.raw("""
            UPDATE notification_groups SET
                count = (SELECT COUNT(*) FROM notifications WHERE group_id = \(bind: groupID)),
                unread_count = (SELECT COUNT(*) FROM notifications WHERE group_id = \(bind: groupID) AND read_at IS NULL),
                latest_notification_id = COALESCE((SELECT id FROM notifications WHERE group_id = \(bind: groupID)
                    ORDER BY created_at DESC, id DESC LIMIT 1), latest_notification_id),
                latest_at = COALESCE((SELECT MAX(created_at) FROM notifications WHERE group_id = \(bind: groupID)), latest_at)
            WHERE id = \(bind: groupID)
            """).run()
    }

    static func find(_ id: NotificationID, of account: AccountID, on db: any SQLDatabase) async throws -> NotificationRow? {
        try await db.raw("""
            SELECT * FROM notifications WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)
            """).first().map({ try NotificationRow(row: $0) })
    }

    static func group(key: String, of account: AccountID, on db: any SQLDatabase) async throws -> GroupRow? {
        try await db.raw("""
            SELECT * FROM notification_groups WHERE group_key = \(bind: key) AND account_id = \(bind: account.rawValue)
            """).first().map({ try GroupRow(row: $0) })
    }

    /// The newest `perGroup` notifications of each group.
    static func newest(inGroups groups: [NotificationGroupID], perGroup: Int, on db: any SQLDatabase) async throws -> [NotificationRow] {
        guard !groups.isEmpty else { return [] }
        return try await db.raw("""
            SELECT * FROM (
                SELECT n.*, ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY created_at DESC, id DESC) AS position
                FROM notifications n WHERE group_id IN (\(binds: groups.map(\.rawValue)))
            ) ranked WHERE position <= \(bind: perGroup) ORDER BY group_id, position
            """).all().map { try NotificationRow(row: $0) }
    }

    static func deleteGroup(_ group: GroupRow, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM notifications WHERE group_id = \(bind: group.id.rawValue)").run()
        try await db.raw("DELETE FROM notification_groups WHERE id = \(bind: group.id.rawValue)").run()
    }

    /// The notices about a post: those hanging off it (its own, and those about its comments) and
    /// those naming it as their object (a share). Both terms are indexed.
    static func about(post id: PostID) -> SQLQueryString {
        "post_id = \(bind: id.rawValue) OR (object_kind = 'post' AND object_id = \(bind: id.description))"
    }

    static func delete(aboutPost id: PostID, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        try await delete(where: about(post: id), engine: engine, on: db)
    }

    static func delete(about target: NotificationTarget, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        try await delete(where: "target_kind = \(bind: target.kind) AND target_id = \(bind: target.id)", engine: engine, on: db)
    }

    /// What an account did to others, for its deletion (the recipients' groups are recounted).
    static func delete(fromActor actor: AccountID, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        try await delete(where: "actor_id = \(bind: actor.rawValue)", engine: engine, on: db)
    }

    static func delete(_ id: NotificationID, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        try await delete(where: "id = \(bind: id.rawValue)", engine: engine, on: db)
    }

    /// Removes notifications and drops groups left empty (when content or an account goes away).
    private static func delete(where condition: SQLQueryString, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        let accounts = try await db.raw("SELECT DISTINCT account_id FROM notifications WHERE \(condition)").all()
            .map { AccountID(rawValue: try $0.decode(column: "account_id", as: Int64.self)) }
        try await lock(accounts, engine: engine, on: db)
        let groups = try await db.raw("SELECT DISTINCT group_id FROM notifications WHERE \(condition)").all()
            .map { NotificationGroupID(rawValue: try $0.decode(column: "group_id", as: Int64.self)) }
        // Their delivery records go too: a pending job then finds nothing to send.
        try await db.raw("DELETE FROM notification_deliveries WHERE notification_id IN (SELECT id FROM notifications WHERE \(condition))").run()
        try await db.raw("DELETE FROM notifications WHERE \(condition)").run()
        for group in groups {
            try await refresh(groupID: group, on: db)
        }
        if !groups.isEmpty { try await db.raw("DELETE FROM notification_groups WHERE count = 0 AND id IN (\(binds: groups.map(\.rawValue)))").run() }
    }

    /// Everything an account received or set, for its deletion.
    static func forget(recipient account: AccountID, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        try await lock([account], engine: engine, on: db)
        for table in ["notification_deliveries", "notifications", "notification_groups", "notification_preferences", "push_devices"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE account_id = \(bind: id)").run()
        }
    }
}
