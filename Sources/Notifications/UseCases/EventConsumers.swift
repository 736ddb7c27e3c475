import EntativaCore
import EntativaModels
import Graph
import Identity
import Posts

/// Turns other domains' events into notifications. Each draft's dedupe key names the outbox
/// event, so a consumer job that runs twice stores the notification once.
struct EventConsumers: Sendable {
    let env: NotificationsEnvironment

    @Sendable static func key(_ event: Int64, _ type: String) -> String { "event-\(event)-\(type)" }
    @Sendable static func post(_ id: PostID) -> NotificationTarget { NotificationTarget(kind: "post", id: id.description) }
    @Sendable static func comment(_ id: CommentID) -> NotificationTarget { NotificationTarget(kind: "comment", id: id.description) }

    func subscribe() {
        let key = Self.key
        let post = Self.post
        let comment = Self.comment
        let events = env.kernel.events
        let notifier = Notifier(env: env)

        events.subscribe(AccountFollowed.self, consumer: "notifications.followed") { event, id in
            try await notifier.notify([
                NotificationDraft(recipient: event.followeeId, type: "follow", actor: event.followerId, dedupeKey: key(id, "follow"))
            ])
        }
        events.subscribe(FollowRequested.self, consumer: "notifications.follow_requested") { event, id in
            try await notifier.notify([
                NotificationDraft(recipient: event.targetId, type: "follow_request", actor: event.requesterId, dedupeKey: key(id, "follow_request"))
            ])
        }
        events.subscribe(FollowRequestApproved.self, consumer: "notifications.follow_approved") { event, id in
            try await notifier.notify([
                NotificationDraft(recipient: event.requesterId, type: "follow_accepted", actor: event.approverId, dedupeKey: key(id, "follow_accepted"))
            ])
        }
        events.subscribe(FriendRequested.self, consumer: "notifications.friend_requested") { event, id in
            try await notifier.notify([
                // The actor is the request's address: accept at /api/v1/friend-requests/{actor.id}/accept.
                NotificationDraft(recipient: event.toId, type: "friend_request", actor: event.fromId, dedupeKey: key(id, "friend_request"))
            ])
        }
        events.subscribe(FriendshipStarted.self, consumer: "notifications.friendship") { event, id in
            // `accountId` answered the request (or sent the second of two crossing ones).
            try await notifier.notify([
                NotificationDraft(recipient: event.friendId, type: "friend_accepted", actor: event.accountId, dedupeKey: key(id, "friend_accepted"))
            ])
        }
        events.subscribe(AccountMentioned.self, consumer: "notifications.mentioned") { event, id in
            try await notifier.notify([
                NotificationDraft(
                    recipient: event.mentionedId, type: "mention", actor: event.authorId, target: post(event.postId),
                    object: event.commentId.map(comment), dedupeKey: key(id, "mention"))
            ])
        }
        events.subscribe(PostReacted.self, consumer: "notifications.reacted") { event, id in
            let onComment = event.commentId != nil
            try await notifier.notify([
                NotificationDraft(
                    recipient: event.ownerId, type: onComment ? "comment_reaction" : "reaction", actor: event.reactorId,
                    target: event.commentId.map(comment) ?? post(event.postId), data: ["kind": event.kind.rawValue, "post_id": event.postId.description],
                    post: event.postId, dedupeKey: key(id, "reaction"))
            ])
        }
        events.subscribe(PostCommented.self, consumer: "notifications.commented") { event, id in
            var drafts = [
                NotificationDraft(
                    recipient: event.postAuthorId, type: "comment", actor: event.authorId, target: post(event.postId),
                    object: comment(event.commentId), dedupeKey: key(id, "comment"))
            ]
            if let answered = event.inReplyToAuthorId, answered != event.postAuthorId {
                // About the comment answered, so replies to one comment group; the reply is the object.
                drafts.append(
                    NotificationDraft(
                        recipient: answered, type: "reply", actor: event.authorId, target: comment(event.inReplyToId ?? event.commentId),
                        object: comment(event.commentId), data: ["post_id": event.postId.description], post: event.postId,
                        dedupeKey: key(id, "reply")))
            }
            try await notifier.notify(drafts)
        }
        events.subscribe(PostShared.self, consumer: "notifications.shared") { event, id in
            try await notifier.notify([
                NotificationDraft(
                    recipient: event.originalAuthorId, type: event.isQuote ? "quote" : "share", actor: event.sharerId, target: post(event.originalId),
                    object: post(event.shareId), dedupeKey: key(id, "share"))
            ])
        }
        events.subscribe(NewDeviceLogin.self, consumer: "notifications.new_login") { event, id in
            try await notifier.notify([
                NotificationDraft(
                    recipient: event.accountId, type: "new_login", actor: nil, target: NotificationTarget(kind: "session", id: event.sessionId.description),
                    data: ["device": event.deviceName, "ip": event.ip], dedupeKey: key(id, "new_login"))
            ])
        }
        // Content that goes away takes its notifications with it, and pending deliveries find nothing.
        events.subscribe(PostDeleted.self, consumer: "notifications.post_deleted") { event, _ in
            // Also the notices about its comments (replies, comment reactions), which carry its post_id.
            try await env.database.transaction { db in
                try await NotificationStore.delete(where: NotificationStore.about(post: event.postId), engine: env.database.engine, on: db)
            }
        }
        // What others received about the account's actions (their groups recounted), and everything
        // it received or set: notifications, groups, deliveries, preferences, devices. Notices
        // about its posts go with the PostDeleted events posts sends for each of them.
        events.subscribe(AccountDeleted.self, consumer: "notifications.account_deleted") { event, _ in
            try await env.database.transaction { db in
                try await NotificationStore.delete(where: "actor_id = \(bind: event.accountId.rawValue)", engine: env.database.engine, on: db)
                try await NotificationStore.forget(recipient: event.accountId, engine: env.database.engine, on: db)
            }
        }
    }
}
