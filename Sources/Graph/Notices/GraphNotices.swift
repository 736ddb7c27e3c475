import EntativaCore
import EntativaModels

/// The graph's notification types (none has a target, so no visibility rule) and the
/// consumers that turn its events into notices. Consumer names predate the move into this
/// module and stay, so queued jobs keep their handlers.
struct GraphNotices: Sendable {
    let kernel: Kernel

    static let kinds: [NotificationKind] = [
        .init("follow", "Someone followed you.", groupable: true, target: nil,
              text: "{actor} followed you", groupText: "{actor} and {others} followed you"),
        .init("follow_request", "Someone asked to follow your private account.", groupable: true, target: nil,
              text: "{actor} asked to follow you", groupText: "{actor} and {others} asked to follow you"),
        .init("follow_accepted", "Someone approved your follow request.", groupable: true, target: nil,
              text: "{actor} accepted your follow request", groupText: "{actor} and {others} accepted your follow requests"),
        .init("friend_request", "Someone sent you a friend request (Entativa).", groupable: true, target: nil,
              text: "{actor} sent you a friend request", groupText: "{actor} and {others} sent you friend requests"),
        .init("friend_accepted", "Someone accepted your friend request (Entativa).", groupable: true, target: nil,
              text: "{actor} accepted your friend request", groupText: "{actor} and {others} accepted your friend requests"),
    ]

    func register() throws {
        try kernel.notificationCatalog.register(Self.kinds)
        let events = kernel.events
        let notifier = kernel.notifier
        let key = NotificationDraft.key
        events.subscribeNotices(AccountFollowed.self, consumer: "notifications.followed", notifier: notifier) { event, id in
            [
                NotificationDraft(recipient: event.followeeId, type: "follow", actor: event.followerId, dedupeKey: key(id, "follow"))
            ]
        }
        events.subscribeNotices(FollowRequested.self, consumer: "notifications.follow_requested", notifier: notifier) { event, id in
            [
                NotificationDraft(recipient: event.targetId, type: "follow_request", actor: event.requesterId, dedupeKey: key(id, "follow_request"))
            ]
        }
        events.subscribeNotices(FollowRequestApproved.self, consumer: "notifications.follow_approved", notifier: notifier) { event, id in
            [
                NotificationDraft(recipient: event.requesterId, type: "follow_accepted", actor: event.approverId, dedupeKey: key(id, "follow_accepted"))
            ]
        }
        events.subscribeNotices(FriendRequested.self, consumer: "notifications.friend_requested", notifier: notifier) { event, id in
            [
                // The actor is the request's address: accept at /api/v1/friend-requests/{actor.id}/accept.
                NotificationDraft(recipient: event.toId, type: "friend_request", actor: event.fromId, dedupeKey: key(id, "friend_request"))
            ]
        }
        // `accountId` answered the request (or sent the second of two crossing ones).
        events.subscribeNotices(FriendshipStarted.self, consumer: "notifications.friendship", notifier: notifier) { event, id in
            [NotificationDraft(recipient: event.friendId, type: "friend_accepted", actor: event.accountId, dedupeKey: key(id, "friend_accepted"))]
        }
    }
}
