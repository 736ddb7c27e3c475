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

    /// A draft ready to store, with what the registry says of its type.
    struct Pending: Sendable {
        var draft: NotificationDraft
        var groupable: Bool
    }

    private struct GroupSlot: Hashable {
        var account: Int64
        var type: String
        var targetKind: String
        var targetID: String
    }

    /// Stores many notifications in a few statements: reads the open groups and the actors already
    /// in them once, decides in memory, then writes new notifications, new and changed groups in
    /// bulk. Drafts whose dedupe key was stored before are skipped.
    static func add(
        _ pending: [Pending], window: Duration, now: Int64, ids: IDGenerator, engine: DatabaseEngine, on db: any SQLDatabase
    ) async throws -> [Added] {
        guard !pending.isEmpty else { return [] }
        let recipients = Array(Set(pending.map(\.draft.recipient.rawValue))).sorted()
        try await lock(recipients, engine: engine, on: db)
        let keys = pending.map(\.draft.dedupeKey)
        var seen = Set(try await db.raw("SELECT dedupe_key FROM notifications WHERE dedupe_key IN (\(binds: keys))").all()
            .map { try $0.decode(column: "dedupe_key", as: String.self) })
        var groups: [Int64: GroupRow] = [:]
        var open: [GroupSlot: Int64] = [:]
        for group in try await db.raw("""
            SELECT * FROM notification_groups
            WHERE account_id IN (\(binds: recipients)) AND type IN (\(binds: Array(Set(pending.map(\.draft.type)))))
              AND latest_at >= \(bind: now - window.milliseconds)
            ORDER BY latest_at
            """).all().map({ try GroupRow(row: $0) }) {
            groups[group.id] = group
            open[GroupSlot(account: group.accountId, type: group.type, targetKind: group.targetKind, targetID: group.targetId)] = group.id
        }
        var members: [AccountPairKey: NotificationRow] = [:]
        let actors = Array(Set(pending.compactMap(\.draft.actor?.rawValue)))
        // Only the groups these drafts would join can hold a repeated actor.
        let joinable = Array(Set(pending.filter(\.groupable).compactMap { item in
            open[GroupSlot(account: item.draft.recipient.rawValue, type: item.draft.type, targetKind: item.draft.target?.kind ?? "", targetID: item.draft.target?.id ?? "")]
        }))
        if !joinable.isEmpty, !actors.isEmpty {
            // Narrow by ID first (three integers a row), then read whole rows only for the pairs
            // this batch repeats: busy groups hold many rows this batch doesn't touch.
            let wanted = Set(pending.compactMap { item -> AccountPairKey? in
                guard let actor = item.draft.actor, let group = open[GroupSlot(
                    account: item.draft.recipient.rawValue, type: item.draft.type, targetKind: item.draft.target?.kind ?? "",
                    targetID: item.draft.target?.id ?? "")]
                else { return nil }
                return AccountPairKey(group: group, actor: actor.rawValue)
            })
            let ids = try await db.raw("""
                SELECT id, group_id, actor_id FROM notifications WHERE group_id IN (\(binds: joinable)) AND actor_id IN (\(binds: actors))
                """).all().compactMap { row -> Int64? in
                let key = AccountPairKey(group: try row.decode(column: "group_id", as: Int64.self), actor: try row.decode(column: "actor_id", as: Int64.self))
                return wanted.contains(key) ? try row.decode(column: "id", as: Int64.self) : nil
            }
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                for row in try await db.raw("SELECT * FROM notifications WHERE id IN (\(binds: chunk))").all().map({ try NotificationRow(row: $0) }) {
                    members[AccountPairKey(group: row.groupId, actor: row.actorId ?? 0)] = row
                }
            }
        }
        var created: [NotificationRow] = []
        var createdIndex: [Int64: Int] = [:]
        var replaced: [Int64] = []
        var touched: [Int64] = []
        var added: [(notification: Int64, group: Int64, row: NotificationRow?)] = []
        var newGroups = Set<Int64>()
        for item in pending where !seen.contains(item.draft.dedupeKey) {
            seen.insert(item.draft.dedupeKey)
            let draft = item.draft
            let slot = GroupSlot(account: draft.recipient.rawValue, type: draft.type, targetKind: draft.target?.kind ?? "", targetID: draft.target?.id ?? "")
            let data = String(decoding: try JSONEncoder().encode(draft.data), as: UTF8.self)
            let groupID: Int64
            if item.groupable, let existing = open[slot] {
                groupID = existing
            } else {
                groupID = ids.next()
                groups[groupID] = GroupRow(
                    id: groupID, accountId: draft.recipient.rawValue, groupKey: "\(draft.type)-\(slot.targetID.isEmpty ? "all" : slot.targetID)-\(groupID)",
                    type: draft.type, targetKind: slot.targetKind, targetId: slot.targetID, count: 0, unreadCount: 0, latestNotificationId: 0,
                    firstAt: now, latestAt: now)
                newGroups.insert(groupID)
                if item.groupable { open[slot] = groupID }
            }
            if !touched.contains(groupID) { touched.append(groupID) }
            if let actor = draft.actor, var row = members[AccountPairKey(group: groupID, actor: actor.rawValue)] {
                // The same actor again: to the front of the group, not counted twice. A stored row
                // is replaced by one with a new ID, so lists stay newest first, "read up to" can't
                // cover it, and the new activity gets push and mail of its own.
                if row.readAt != nil { groups[groupID]?.unreadCount += 1 }
                row.createdAt = now
                row.readAt = nil
                row.data = data
                row.dedupeKey = draft.dedupeKey
                row.objectKind = draft.object?.kind ?? ""
                row.objectId = draft.object?.id ?? ""
                row.postId = draft.post?.rawValue
                if let index = createdIndex[row.id] {
                    created[index] = row
                } else {
                    replaced.append(row.id)
                    row.id = ids.next()
                    createdIndex[row.id] = created.count
                    created.append(row)
                }
                members[AccountPairKey(group: groupID, actor: actor.rawValue)] = row
                groups[groupID]?.latestNotificationId = row.id
                groups[groupID]?.latestAt = now
                added.append((row.id, groupID, row))
                continue
            }
            let row = NotificationRow(
                id: ids.next(), accountId: draft.recipient.rawValue, groupId: groupID, type: draft.type, actorId: draft.actor?.rawValue,
                targetKind: slot.targetKind, targetId: slot.targetID, objectKind: draft.object?.kind ?? "", objectId: draft.object?.id ?? "",
                postId: draft.post?.rawValue, data: data, dedupeKey: draft.dedupeKey, createdAt: now, readAt: nil)
            createdIndex[row.id] = created.count
            created.append(row)
            if let actor = draft.actor { members[AccountPairKey(group: groupID, actor: actor.rawValue)] = row }
            groups[groupID]?.count += 1
            groups[groupID]?.unreadCount += 1
            groups[groupID]?.latestNotificationId = row.id
            groups[groupID]?.latestAt = now
            added.append((row.id, groupID, row))
        }

        try await upsertGroups(touched.compactMap { groups[$0] }, on: db)
        for start in stride(from: 0, to: replaced.count, by: 500) {
            let chunk = Array(replaced[start..<min(start + 500, replaced.count)])
            try await db.raw("DELETE FROM notifications WHERE id IN (\(binds: chunk))").run()
        }
        try await insert(created, on: db)
        let final = Dictionary(uniqueKeysWithValues: created.map { ($0.id, $0) })
        return added.compactMap { entry in
            guard let row = final[entry.notification] ?? entry.row, let group = groups[entry.group] else { return nil }
            return Added(notification: row, group: group)
        }
    }

    private struct AccountPairKey: Hashable {
        var group: Int64
        var actor: Int64
    }

    private static func insert(_ rows: [NotificationRow], on db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: 500) {
            let values = rows[start..<min(start + 500, rows.count)].map { row in
                SQLGroupExpression([
                    SQLBind(row.id), SQLBind(row.accountId), SQLBind(row.groupId), SQLBind(row.type), SQLBind(row.actorId), SQLBind(row.targetKind),
                    SQLBind(row.targetId), SQLBind(row.objectKind), SQLBind(row.objectId), SQLBind(row.postId), SQLBind(row.data),
                    SQLBind(row.dedupeKey), SQLBind(row.createdAt),
                ])
            }
            try await db.raw("""
                INSERT INTO notifications (id, account_id, group_id, type, actor_id, target_kind, target_id, object_kind, object_id, post_id, data,
                    dedupe_key, created_at)
                VALUES \(SQLList(values))
                """).run()
        }
    }

    /// Writes new groups and the new counts of existing ones in one statement per 500.
    private static func upsertGroups(_ groups: [GroupRow], on db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: groups.count, by: 500) {
            let values = groups[start..<min(start + 500, groups.count)].map { group in
                SQLGroupExpression([
                    SQLBind(group.id), SQLBind(group.accountId), SQLBind(group.groupKey), SQLBind(group.type), SQLBind(group.targetKind),
                    SQLBind(group.targetId), SQLBind(group.count), SQLBind(group.unreadCount), SQLBind(group.latestNotificationId),
                    SQLBind(group.firstAt), SQLBind(group.latestAt),
                ])
            }
            try await db.raw("""
                INSERT INTO notification_groups (id, account_id, group_key, type, target_kind, target_id, count, unread_count, latest_notification_id, first_at, latest_at)
                VALUES \(SQLList(values))
                ON CONFLICT (id) DO UPDATE SET count = excluded.count, unread_count = excluded.unread_count,
                    latest_notification_id = excluded.latest_notification_id, latest_at = excluded.latest_at
                """).run()
        }
    }

    /// Serialises writers of the same recipients' notifications and groups until the transaction
    /// ends (PostgreSQL; SQLite has one writer): groups are read, counted in memory and written
    /// back, so a read mark or a deletion must not slip in between. Taken in ascending order, so
    /// two writers never wait on each other in a cycle.
    static func lock(_ accounts: [Int64], engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard engine == .postgres, !accounts.isEmpty else { return }
        let list = Array(Set(accounts)).sorted().map(String.init).joined(separator: ",")
        try await db.raw("SELECT pg_advisory_xact_lock(k) FROM unnest(ARRAY[\(unsafeRaw: list)]::bigint[]) AS k ORDER BY k").run()
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
    static func newest(inGroups groups: [Int64], perGroup: Int, on db: any SQLDatabase) async throws -> [NotificationRow] {
        guard !groups.isEmpty else { return [] }
        return try await db.raw("""
            SELECT * FROM (
                SELECT n.*, ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY created_at DESC, id DESC) AS position
                FROM notifications n WHERE group_id IN (\(binds: groups))
            ) ranked WHERE position <= \(bind: perGroup) ORDER BY group_id, position
            """).all().map { try NotificationRow(row: $0) }
    }

    static func deleteGroup(_ group: GroupRow, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM notifications WHERE group_id = \(bind: group.id)").run()
        try await db.raw("DELETE FROM notification_groups WHERE id = \(bind: group.id)").run()
    }

    /// The notices about a post: those hanging off it (its own, and those about its comments) and
    /// those naming it as their object (a share). Both terms are indexed.
    static func about(post id: PostID) -> SQLQueryString {
        "post_id = \(bind: id.rawValue) OR (object_kind = 'post' AND object_id = \(bind: id.description))"
    }

    /// Removes notifications and drops groups left empty (when content or an account goes away).
    static func delete(where condition: SQLQueryString, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        let accounts = try await db.raw("SELECT DISTINCT account_id FROM notifications WHERE \(condition)").all()
            .map { try $0.decode(column: "account_id", as: Int64.self) }
        try await lock(accounts, engine: engine, on: db)
        let groups = try await db.raw("SELECT DISTINCT group_id FROM notifications WHERE \(condition)").all()
            .map { try $0.decode(column: "group_id", as: Int64.self) }
        // Their delivery records go too: a pending job then finds nothing to send.
        try await db.raw("DELETE FROM notification_deliveries WHERE notification_id IN (SELECT id FROM notifications WHERE \(condition))").run()
        try await db.raw("DELETE FROM notifications WHERE \(condition)").run()
        for group in groups {
            try await refresh(groupID: group, on: db)
        }
        if !groups.isEmpty { try await db.raw("DELETE FROM notification_groups WHERE count = 0 AND id IN (\(binds: groups))").run() }
    }

    /// Everything an account received or set, for its deletion.
    static func forget(recipient account: AccountID, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        try await lock([id], engine: engine, on: db)
        for table in ["notification_deliveries", "notifications", "notification_groups", "notification_preferences", "push_devices"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE account_id = \(bind: id)").run()
        }
    }
}
