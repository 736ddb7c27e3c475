import EntativaCore
import EntativaModels
import Testing

@testable import Notifications

/// The grouping decision on its own: no database, a counter for IDs.
@Suite("Grouping planner")
struct GroupingPlannerTests {
    let alice = AccountID(rawValue: 1)
    let bob = AccountID(rawValue: 2)
    let carol = AccountID(rawValue: 3)
    let post = NotificationTarget(kind: "post", id: "77")

    func planner(now: Int64 = 5_000) -> GroupingPlanner {
        var next: Int64 = 1_000
        return GroupingPlanner(now: now) {
            next += 1
            return next
        }
    }

    func reaction(from actor: AccountID, key: String, target: NotificationTarget? = nil, groupable: Bool = true) -> PendingNotification {
        PendingNotification(
            draft: NotificationDraft(recipient: alice, type: "reaction", actor: actor, target: target ?? post, dedupeKey: key), groupable: groupable)
    }

    func openGroup(id: Int64, count: Int, unread: Int, latestAt: Int64 = 4_000) -> GroupRow {
        GroupRow(
            id: NotificationGroupID(rawValue: id), accountId: alice, groupKey: "reaction-77-\(id)", type: "reaction", targetKind: "post", targetId: "77",
            count: count, unreadCount: unread, latestNotificationId: NotificationID(rawValue: id + 1), firstAt: 3_000, latestAt: latestAt)
    }

    func member(of group: GroupRow, actor: AccountID, id: Int64, read: Bool) -> NotificationRow {
        NotificationRow(
            id: NotificationID(rawValue: id), accountId: alice, groupId: group.id, type: "reaction", actor: actor, targetKind: "post", targetId: "77",
            objectKind: "", objectId: "", postId: PostID(rawValue: 77), data: "{}", dedupeKey: "old-\(id)", createdAt: 3_000, readAt: read ? 3_500 : nil)
    }

    @Test("The first notice opens a group; a second actor about the same target joins it")
    func opensThenJoins() throws {
        // when
        let plan = try planner().plan([reaction(from: bob, key: "k1"), reaction(from: carol, key: "k2")], given: GroupingState())
        // then
        let group = try #require(plan.groups.first)
        #expect(plan.decisions == [.openGroup(group.id), .joinGroup(group.id)])
        #expect(plan.groups.count == 1 && group.count == 2 && group.unreadCount == 2)
        #expect(group.groupKey == "reaction-77-\(group.id)" && group.latestNotificationId == plan.inserts[1].id && group.latestAt == 5_000)
        #expect(plan.inserts.map(\.actor) == [bob, carol] && plan.replaced.isEmpty && plan.stored.count == 2)
    }

    @Test("A dedupe key stored before, or repeated in the batch, writes nothing")
    func duplicatesAreSuppressed() throws {
        // given
        let state = GroupingState(storedKeys: ["k1"])
        // when
        let plan = try planner().plan([reaction(from: bob, key: "k1"), reaction(from: carol, key: "k2"), reaction(from: bob, key: "k2")], given: state)
        // then
        #expect(plan.decisions.first == .duplicate && plan.decisions.last == .duplicate)
        #expect(plan.inserts.map(\.dedupeKey) == ["k2"] && plan.stored.count == 1)
    }

    @Test("An open group inside the window is joined; the newest of two for the same slot wins")
    func joinsNewestOpenGroup() throws {
        // given
        let older = openGroup(id: 10, count: 1, unread: 0, latestAt: 2_000)
        let newer = openGroup(id: 20, count: 3, unread: 1, latestAt: 4_000)
        // when
        let plan = try planner().plan([reaction(from: carol, key: "k1")], given: GroupingState(openGroups: [older, newer]))
        // then
        #expect(plan.decisions == [.joinGroup(newer.id)])
        let group = try #require(plan.groups.first)
        #expect(plan.groups.count == 1 && group.id == newer.id && group.count == 4 && group.unreadCount == 2 && group.firstAt == 3_000)
    }

    @Test("The same actor again moves to the front with a new row: not counted twice, unread again")
    func repeatedActorMovesToFront() throws {
        // given
        let group = openGroup(id: 10, count: 2, unread: 0)
        let stored = member(of: group, actor: bob, id: 11, read: true)
        // when
        let plan = try planner().plan(
            [reaction(from: bob, key: "k1")], given: GroupingState(openGroups: [group], members: [stored]))
        // then
        #expect(plan.decisions == [.moveToFront(group.id)])
        #expect(plan.replaced == [stored.id])
        let row = try #require(plan.inserts.first)
        #expect(row.id != stored.id && row.readAt == nil && row.createdAt == 5_000 && row.dedupeKey == "k1")
        #expect(plan.groups.first?.count == 2 && plan.groups.first?.unreadCount == 1 && plan.groups.first?.latestNotificationId == row.id)
    }

    @Test("The same actor twice in one batch is one row, updated in place")
    func repeatedInsideBatch() throws {
        // when
        let plan = try planner().plan([reaction(from: bob, key: "k1"), reaction(from: bob, key: "k2")], given: GroupingState())
        // then
        let group = try #require(plan.groups.first)
        #expect(plan.decisions == [.openGroup(group.id), .moveToFront(group.id)])
        #expect(plan.inserts.count == 1 && plan.inserts[0].dedupeKey == "k2" && plan.replaced.isEmpty && group.count == 1)
    }

    @Test("Kinds that don't group open a group each; other targets open their own")
    func separateGroups() throws {
        // when
        let plan = try planner().plan(
            [
                reaction(from: bob, key: "k1", groupable: false), reaction(from: carol, key: "k2", groupable: false),
                reaction(from: bob, key: "k3", target: NotificationTarget(kind: "post", id: "78")),
            ], given: GroupingState(openGroups: [openGroup(id: 10, count: 1, unread: 1)]))
        // then
        #expect(plan.groups.count == 3 && plan.groups.allSatisfy { $0.count == 1 })
        #expect(!plan.groups.contains { $0.id == NotificationGroupID(rawValue: 10) })
        #expect(plan.groups.last?.targetId == "78")
    }

    @Test("Only groupable drafts with an actor repeat members of open groups")
    func repeatCandidates() {
        // given
        let group = openGroup(id: 10, count: 1, unread: 1)
        let pending = [
            reaction(from: bob, key: "k1"), reaction(from: carol, key: "k2", groupable: false),
            reaction(from: carol, key: "k3", target: NotificationTarget(kind: "post", id: "78")),
        ]
        // then
        #expect(GroupingPlanner.repeatCandidates(pending, openGroups: [group]) == [GroupingPlanner.Member(group: group.id, actor: bob)])
    }
}
