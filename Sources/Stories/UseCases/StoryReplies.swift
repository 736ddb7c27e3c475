import EntativaCore
import EntativaModels
import Hummingbird
import Messaging

/// Replies to a story: an end-to-end encrypted direct message to its author whose envelopes name
/// the story. Stories decides who may reply (whoever may watch it now, not its author), counts
/// the reply and notifies the author; Messaging stores and delivers it, never seeing its text.
public struct StoryReplies: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    public func reply(to id: StoryID, form: StoryReplyRequest, request: Request, context: AuthenticatedContext) async throws -> SentMessage {
        let caller = context.caller
        let (story, _) = try await StoryAccess(env: env).visible(id, viewer: caller)
        guard story.authorId != caller.accountID else { throw AppError.forbidden("You cannot reply to your own story.") }
        guard story.expiresAt > env.now else { throw AppError.notFound("story") }
        let sent = try await env.replies.send(
            SendMessageRequest(recipientId: story.authorId, envelopes: form.envelopes), replyingTo: id, request: request, context: context)
        // The message is the user's and is stored first; the count and the notice follow it.
        let env = self.env
        let (replyID, now) = (env.kernel.ids.next(), env.now)
        try await env.database.transaction { db in
            // A story deleted since the check keeps no count; the message is delivered all the same.
            guard try await !StoryStore.existing([id], on: db, lock: env.database.forShare).isEmpty else { return }
            try await InsightStore.insertReply(id: replyID, story: id, sender: caller.accountID, now: now, on: db)
            try await env.kernel.events.publish(StoryReplied(storyId: id, authorId: story.authorId, senderId: caller.accountID), on: db)
        }
        return sent
    }
}
