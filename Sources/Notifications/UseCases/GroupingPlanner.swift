import EntativaCore
import EntativaModels
import Foundation

/// A draft that passed admission, with what its kind says about grouping.
struct PendingNotification: Sendable {
    var draft: NotificationDraft
    var groupable: Bool
}

/// What is stored already that a batch may join or repeat (read by `NotificationStore.groupingState`).
struct GroupingState: Sendable {
    /// The batch's dedupe keys that were stored before.
    var storedKeys: Set<String> = []
    /// The recipients' groups whose latest activity is inside the window, oldest activity first.
    var openGroups: [GroupRow] = []
    /// Stored notifications of open groups from actors this batch repeats.
    var members: [NotificationRow] = []
}

/// What to write for a batch, and what was decided for each draft.
struct GroupingPlan: Sendable {
    enum Decision: Equatable, Sendable {
        /// Its dedupe key was stored before or came earlier in the batch: nothing is written.
        case duplicate
        case openGroup(NotificationGroupID)
        case joinGroup(NotificationGroupID)
        /// The actor is in the group already: their notice moves to the front, not counted twice.
        case moveToFront(NotificationGroupID)
    }

    struct Stored: Sendable {
        var notification: NotificationRow
        /// The group as the batch leaves it.
        var group: GroupRow
    }

    /// One per draft, in order.
    var decisions: [Decision] = []
    /// New groups and changed ones, to upsert.
    var groups: [GroupRow] = []
    /// Stored notifications replaced by a new row (the same actor again), to delete.
    var replaced: [NotificationID] = []
    var inserts: [NotificationRow] = []
    /// Every notification written, in draft order.
    var stored: [Stored] = []
}

/// Decides, without the database, how a batch joins the groups. A notification joins the newest
/// group of the same recipient, type and target whose latest activity is inside the grouping
/// window (the store reads only those, so the window rolls while a group stays active) or
/// opens one. An actor already in the group moves to the front: their row is replaced by one with
/// a new ID, so lists stay newest first, "read up to" can't cover it, and the new activity gets
/// push and mail of its own.
struct GroupingPlanner {
    var now: Int64
    /// New IDs for notifications and groups: the kernel's generator, a counter in tests.
    var nextID: () -> Int64

    struct Slot: Hashable {
        var account: AccountID
        var type: String
        var targetKind: String
        var targetID: String
    }

    struct Member: Hashable {
        var group: NotificationGroupID
        var actor: AccountID
    }

    static func slot(_ draft: NotificationDraft) -> Slot {
        Slot(account: draft.recipient, type: draft.type, targetKind: draft.target?.kind ?? "", targetID: draft.target?.id ?? "")
    }

    static func slot(_ group: GroupRow) -> Slot {
        Slot(account: group.accountId, type: group.type, targetKind: group.targetKind, targetID: group.targetId)
    }

    /// The (group, actor) pairs of the batch that may repeat a stored notification: only those
    /// members need reading, since busy groups hold many rows a batch doesn't touch.
    static func repeatCandidates(_ pending: [PendingNotification], openGroups: [GroupRow]) -> Set<Member> {
        let open = Dictionary(openGroups.map { (slot($0), $0.id) }, uniquingKeysWith: { _, newer in newer })
        return Set(pending.compactMap { item in
            guard item.groupable, let actor = item.draft.actor, let group = open[slot(item.draft)] else { return nil }
            return Member(group: group, actor: actor)
        })
    }

    func plan(_ pending: [PendingNotification], given state: GroupingState) throws -> GroupingPlan {
        var plan = GroupingPlan()
        var seen = state.storedKeys
        var groups: [NotificationGroupID: GroupRow] = [:]
        var open: [Slot: NotificationGroupID] = [:]
        for group in state.openGroups {
            groups[group.id] = group
            open[Self.slot(group)] = group.id
        }
        var members: [Member: NotificationRow] = [:]
        for row in state.members {
            if let actor = row.actor { members[Member(group: row.groupId, actor: actor)] = row }
        }
        var insertIndex: [NotificationID: Int] = [:]
        var touched: [NotificationGroupID] = []
        var touchedSet: Set<NotificationGroupID> = []
        var stored: [(notification: NotificationID, group: NotificationGroupID)] = []
        for item in pending {
            let draft = item.draft
            guard seen.insert(draft.dedupeKey).inserted else {
                plan.decisions.append(.duplicate)
                continue
            }
            let slot = Self.slot(draft)
            let data = String(decoding: try JSONEncoder().encode(draft.data), as: UTF8.self)
            let groupID: NotificationGroupID
            let opened: Bool
            if item.groupable, let existing = open[slot] {
                groupID = existing
                opened = false
            } else {
                groupID = NotificationGroupID(rawValue: nextID())
                groups[groupID] = GroupRow(
                    id: groupID, accountId: draft.recipient, groupKey: "\(draft.type)-\(slot.targetID.isEmpty ? "all" : slot.targetID)-\(groupID)",
                    type: draft.type, targetKind: slot.targetKind, targetId: slot.targetID, count: 0, unreadCount: 0,
                    latestNotificationId: NotificationID(rawValue: 0), firstAt: now, latestAt: now)
                if item.groupable { open[slot] = groupID }
                opened = true
            }
            if touchedSet.insert(groupID).inserted { touched.append(groupID) }
            let row: NotificationRow
            if let actor = draft.actor, var repeated = members[Member(group: groupID, actor: actor)] {
                if repeated.readAt != nil { groups[groupID]?.unreadCount += 1 }
                repeated.createdAt = now
                repeated.readAt = nil
                repeated.data = data
                repeated.dedupeKey = draft.dedupeKey
                repeated.objectKind = draft.object?.kind ?? ""
                repeated.objectId = draft.object?.id ?? ""
                repeated.postId = draft.post
                if let index = insertIndex[repeated.id] {
                    plan.inserts[index] = repeated
                } else {
                    plan.replaced.append(repeated.id)
                    repeated.id = NotificationID(rawValue: nextID())
                    insertIndex[repeated.id] = plan.inserts.count
                    plan.inserts.append(repeated)
                }
                row = repeated
                plan.decisions.append(.moveToFront(groupID))
            } else {
                row = NotificationRow(
                    id: NotificationID(rawValue: nextID()), accountId: draft.recipient, groupId: groupID, type: draft.type, actor: draft.actor,
                    targetKind: slot.targetKind, targetId: slot.targetID, objectKind: draft.object?.kind ?? "", objectId: draft.object?.id ?? "",
                    postId: draft.post, data: data, dedupeKey: draft.dedupeKey, createdAt: now, readAt: nil)
                insertIndex[row.id] = plan.inserts.count
                plan.inserts.append(row)
                groups[groupID]?.count += 1
                groups[groupID]?.unreadCount += 1
                plan.decisions.append(opened ? .openGroup(groupID) : .joinGroup(groupID))
            }
            if let actor = draft.actor { members[Member(group: groupID, actor: actor)] = row }
            groups[groupID]?.latestNotificationId = row.id
            groups[groupID]?.latestAt = now
            stored.append((row.id, groupID))
        }
        plan.groups = touched.compactMap { groups[$0] }
        let final = Dictionary(uniqueKeysWithValues: plan.inserts.map { ($0.id, $0) })
        plan.stored = stored.compactMap { entry in
            guard let row = final[entry.notification], let group = groups[entry.group] else { return nil }
            return GroupingPlan.Stored(notification: row, group: group)
        }
        return plan
    }
}
