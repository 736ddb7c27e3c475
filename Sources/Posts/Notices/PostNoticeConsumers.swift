import EntativaCore
import EntativaModels

/// Turns posts' events into notices, and withdraws a deleted post's notices. Consumer names
/// predate the move into this module and stay, so queued jobs keep their handlers.
struct PostNoticeConsumers: Sendable {
    let kernel: Kernel

    static func post(_ id: PostID) -> NotificationTarget { NotificationTarget(kind: "post", id: id.description) }
    static func comment(_ id: CommentID) -> NotificationTarget { NotificationTarget(kind: "comment", id: id.description) }

    func subscribe() {
        let key = NotificationDraft.key
        let post = Self.post
        let comment = Self.comment
        let events = kernel.events
        let notifier = kernel.notifier
        events.subscribeNotices(AccountMentioned.self, consumer: "notifications.mentioned", notifier: notifier) { event, id in
            [
                NotificationDraft(
                    recipient: event.mentionedId, type: "mention", actor: event.authorId, target: post(event.postId),
                    object: event.commentId.map(comment), dedupeKey: key(id, "mention"))
            ]
        }
        events.subscribeNotices(PostReacted.self, consumer: "notifications.reacted", notifier: notifier) { event, id in
            [
                NotificationDraft(
                    recipient: event.ownerId, type: event.commentId != nil ? "comment_reaction" : "reaction", actor: event.reactorId,
                    target: event.commentId.map(comment) ?? post(event.postId), data: ["kind": event.kind.rawValue, "post_id": event.postId.description],
                    post: event.postId, dedupeKey: key(id, "reaction"))
            ]
        }
        events.subscribeNotices(PostCommented.self, consumer: "notifications.commented", notifier: notifier) { event, id in
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
            return drafts
        }
        events.subscribeNotices(PostShared.self, consumer: "notifications.shared", notifier: notifier) { event, id in
            [
                NotificationDraft(
                    recipient: event.originalAuthorId, type: event.isQuote ? "quote" : "share", actor: event.sharerId, target: post(event.originalId),
                    object: post(event.shareId), dedupeKey: key(id, "share"))
            ]
        }
        // Content that goes away takes its notices with it (also those about its comments and
        // shares naming it), and pending deliveries find nothing.
        events.subscribe(PostDeleted.self, consumer: "notifications.post_deleted") { event, _ in
            try await notifier.withdraw(aboutPost: event.postId)
        }
    }
}
