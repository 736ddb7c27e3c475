import EntativaCore
import EntativaModels
import Foundation
import SQLKit

extension NotificationStore {
    /// What `GroupingPlanner` needs for a batch, in a constant number of statements: the dedupe
    /// keys stored before, the recipients' groups inside the window, and the stored rows of the
    /// actors the batch repeats. Take `lock` on the recipients first.
    static func groupingState(
        for pending: [PendingNotification], window: Duration, now: Int64, on db: any SQLDatabase
    ) async throws -> GroupingState {
        guard !pending.isEmpty else { return GroupingState() }
        var state = GroupingState()
        state.storedKeys = Set(try await db.raw("""
            SELECT dedupe_key FROM notifications WHERE dedupe_key IN (\(binds: pending.map(\.draft.dedupeKey)))
            """).all().map { try $0.decode(column: "dedupe_key", as: String.self) })
        state.openGroups = try await db.raw("""
            SELECT * FROM notification_groups
            WHERE account_id IN (\(binds: Array(Set(pending.map(\.draft.recipient.rawValue))).sorted()))
              AND type IN (\(binds: Array(Set(pending.map(\.draft.type))).sorted())) AND latest_at >= \(bind: now - window.milliseconds)
            ORDER BY latest_at
            """).all().map { try GroupRow(row: $0) }
        let wanted = GroupingPlanner.repeatCandidates(pending, openGroups: state.openGroups)
        guard !wanted.isEmpty else { return state }
        // Narrow by ID first (three integers a row), then read whole rows only for the pairs this
        // batch repeats.
        let ids = try await db.raw("""
            SELECT id, group_id, actor_id FROM notifications
            WHERE group_id IN (\(binds: Array(Set(wanted.map(\.group.rawValue))))) AND actor_id IN (\(binds: Array(Set(wanted.map(\.actor.rawValue)))))
            """).all().compactMap { row -> Int64? in
            let member = GroupingPlanner.Member(
                group: NotificationGroupID(rawValue: try row.decode(column: "group_id", as: Int64.self)),
                actor: AccountID(rawValue: try row.decode(column: "actor_id", as: Int64.self)))
            return wanted.contains(member) ? try row.decode(column: "id", as: Int64.self) : nil
        }
        for chunk in ids.chunks(of: 500) {
            state.members += try await db.raw("SELECT * FROM notifications WHERE id IN (\(binds: chunk))").all().map { try NotificationRow(row: $0) }
        }
        return state
    }

    /// Writes what the planner decided: groups, then the replaced rows out and the new ones in.
    static func add(_ plan: GroupingPlan, on db: any SQLDatabase) async throws {
        try await upsertGroups(plan.groups, on: db)
        for chunk in plan.replaced.map(\.rawValue).chunks(of: 500) {
            try await db.raw("DELETE FROM notifications WHERE id IN (\(binds: chunk))").run()
        }
        try await insert(plan.inserts, on: db)
    }

    private static func insert(_ rows: [NotificationRow], on db: any SQLDatabase) async throws {
        for chunk in rows.chunks(of: 500) {
            // Typed IDs bind as their raw integers: bound whole, they would encode as strings.
            let values = chunk.map { row in
                SQLGroupExpression([
                    SQLBind(row.id.rawValue), SQLBind(row.accountId.rawValue), SQLBind(row.groupId.rawValue), SQLBind(row.type),
                    SQLBind(row.actor?.rawValue), SQLBind(row.targetKind), SQLBind(row.targetId), SQLBind(row.objectKind), SQLBind(row.objectId),
                    SQLBind(row.postId?.rawValue), SQLBind(row.data), SQLBind(row.dedupeKey), SQLBind(row.createdAt),
                ])
            }
            try await db.raw("""
                INSERT INTO notifications (id, account_id, group_id, type, actor_id, target_kind, target_id, object_kind, object_id, post_id, data,
                    dedupe_key, created_at)
                VALUES \(SQLList(values))
                """).run()
        }
    }

    /// New groups and the new counts of existing ones, in one statement per 500.
    private static func upsertGroups(_ groups: [GroupRow], on db: any SQLDatabase) async throws {
        for chunk in groups.chunks(of: 500) {
            let values = chunk.map { group in
                SQLGroupExpression([
                    SQLBind(group.id.rawValue), SQLBind(group.accountId.rawValue), SQLBind(group.groupKey), SQLBind(group.type),
                    SQLBind(group.targetKind), SQLBind(group.targetId), SQLBind(group.count), SQLBind(group.unreadCount),
                    SQLBind(group.latestNotificationId.rawValue), SQLBind(group.firstAt), SQLBind(group.latestAt),
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
}

extension Array {
    /// Consecutive slices of at most `size` elements, for statements with bounded bind counts.
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
