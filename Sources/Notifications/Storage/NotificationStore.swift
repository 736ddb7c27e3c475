import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Notifications and their groups. A notification joins the newest group of the same recipient,
/// type and target whose latest activity is inside the grouping window (so the window rolls
/// while the group stays active); an actor already in the group is moved to the front instead
/// of being counted twice.
enum NotificationStore {
    struct Added: Sendable {
        var notification: NotificationRow
        var group: GroupRow
    }

    static func add(
        _ draft: NotificationDraft, groupable: Bool, window: Duration, now: Int64, ids: IDGenerator, engine: DatabaseEngine, on db: any SQLDatabase
    ) async throws -> Added? {
        if engine == .postgres {
            // Serialises one recipient's notifications so two can't open twin groups.
            try await db.raw("SELECT pg_advisory_xact_lock(\(bind: draft.recipient.rawValue))").run()
        }
        if try await db.raw("SELECT 1 AS found FROM notifications WHERE dedupe_key = \(bind: draft.dedupeKey)").first() != nil { return nil }
        let targetKind = draft.target?.kind ?? ""
        let targetID = draft.target?.id ?? ""
        let data = String(decoding: try JSONEncoder().encode(draft.data), as: UTF8.self)
        var group: GroupRow?
        if groupable {
            group = try await db.raw("""
                SELECT * FROM notification_groups
                WHERE account_id = \(bind: draft.recipient.rawValue) AND type = \(bind: draft.type)
                  AND target_kind = \(bind: targetKind) AND target_id = \(bind: targetID) AND latest_at >= \(bind: now - window.milliseconds)
                ORDER BY latest_at DESC LIMIT 1
                """).first()?.decode(GroupRow.self)
        }
        if let existing = group, let actor = draft.actor,
            let repeated = try await db.raw("""
                SELECT * FROM notifications WHERE group_id = \(bind: existing.id) AND actor_id = \(bind: actor.rawValue)
                """).first()?.decode(NotificationRow.self)
        {
            try await db.raw("""
                UPDATE notifications SET created_at = \(bind: now), read_at = NULL, data = \(bind: data), dedupe_key = \(bind: draft.dedupeKey),
                    object_kind = \(bind: draft.object?.kind ?? ""), object_id = \(bind: draft.object?.id ?? "")
                WHERE id = \(bind: repeated.id)
                """).run()
            try await db.raw("""
                UPDATE notification_groups SET unread_count = unread_count + \(bind: repeated.readAt == nil ? 0 : 1),
                    latest_notification_id = \(bind: repeated.id), latest_at = \(bind: now)
                WHERE id = \(bind: existing.id)
                """).run()
            return try await added(notification: repeated.id, group: existing.id, on: db)
        }
        let id = ids.next()
        let groupID = group?.id ?? ids.next()
        if group == nil {
            let key = "\(draft.type)-\(targetID.isEmpty ? "all" : targetID)-\(groupID)"
            try await db.raw("""
                INSERT INTO notification_groups (id, account_id, group_key, type, target_kind, target_id, count, unread_count, latest_notification_id, first_at, latest_at)
                VALUES (\(bind: groupID), \(bind: draft.recipient.rawValue), \(bind: key), \(bind: draft.type), \(bind: targetKind), \(bind: targetID),
                        0, 0, \(bind: id), \(bind: now), \(bind: now))
                """).run()
        }
        try await db.raw("""
            INSERT INTO notifications (id, account_id, group_id, type, actor_id, target_kind, target_id, object_kind, object_id, data, dedupe_key, created_at)
            VALUES (\(bind: id), \(bind: draft.recipient.rawValue), \(bind: groupID), \(bind: draft.type), \(bind: draft.actor?.rawValue),
                    \(bind: targetKind), \(bind: targetID), \(bind: draft.object?.kind ?? ""), \(bind: draft.object?.id ?? ""), \(bind: data),
                    \(bind: draft.dedupeKey), \(bind: now))
            """).run()
        try await db.raw("""
            UPDATE notification_groups SET count = count + 1, unread_count = unread_count + 1,
                latest_notification_id = \(bind: id), latest_at = \(bind: now)
            WHERE id = \(bind: groupID)
            """).run()
        return try await added(notification: id, group: groupID, on: db)
    }

    /// Recounts a group after notifications left it or were read; a recount can't drift.
    static func refresh(groupID: Int64, on db: any SQLDatabase) async throws {
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

    private static func added(notification: Int64, group: Int64, on db: any SQLDatabase) async throws -> Added? {
        guard let row = try await db.raw("SELECT * FROM notifications WHERE id = \(bind: notification)").first()?.decode(NotificationRow.self),
            let groupRow = try await db.raw("SELECT * FROM notification_groups WHERE id = \(bind: group)").first()?.decode(GroupRow.self)
        else { return nil }
        return Added(notification: row, group: groupRow)
    }

    static func find(_ id: NotificationID, of account: AccountID, on db: any SQLDatabase) async throws -> NotificationRow? {
        try await db.raw("""
            SELECT * FROM notifications WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)
            """).first()?.decode(NotificationRow.self)
    }

    static func group(key: String, of account: AccountID, on db: any SQLDatabase) async throws -> GroupRow? {
        try await db.raw("""
            SELECT * FROM notification_groups WHERE group_key = \(bind: key) AND account_id = \(bind: account.rawValue)
            """).first()?.decode(GroupRow.self)
    }

    /// The newest `perGroup` notifications of each group.
    static func newest(inGroups groups: [Int64], perGroup: Int, on db: any SQLDatabase) async throws -> [NotificationRow] {
        guard !groups.isEmpty else { return [] }
        return try await db.raw("""
            SELECT * FROM (
                SELECT n.*, ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY created_at DESC, id DESC) AS position
                FROM notifications n WHERE group_id IN (\(binds: groups))
            ) ranked WHERE position <= \(bind: perGroup) ORDER BY group_id, position
            """).all().map { try $0.decode(NotificationRow.self) }
    }

    static func deleteGroup(_ group: GroupRow, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM notifications WHERE group_id = \(bind: group.id)").run()
        try await db.raw("DELETE FROM notification_groups WHERE id = \(bind: group.id)").run()
    }

    /// Removes notifications and drops groups left empty (when content or an account goes away).
    static func delete(where condition: SQLQueryString, on db: any SQLDatabase) async throws {
        let groups = try await db.raw("SELECT DISTINCT group_id FROM notifications WHERE \(condition)").all()
            .map { try $0.decode(column: "group_id", as: Int64.self) }
        try await db.raw("DELETE FROM notifications WHERE \(condition)").run()
        for group in groups {
            try await refresh(groupID: group, on: db)
        }
        try await db.raw("DELETE FROM notification_groups WHERE count = 0").run()
    }
}
