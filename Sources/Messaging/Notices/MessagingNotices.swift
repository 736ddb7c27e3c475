import EntativaCore
import EntativaModels

/// A first message, or a group invitation, from an account the recipient has no connection
/// with: the recipient accepts, deletes or blocks it.
public struct MessageRequested: DomainEvent {
    public static let topic = "messaging.message_requested"
    public var conversationId: ConversationID
    public var recipientId: AccountID
    public var senderId: AccountID
}

/// An account's first message of a day in a direct conversation: what other domains may count as
/// an interaction between the two (the feed's affinity). Says nothing of what was written.
public struct DirectMessageSent: DomainEvent {
    public static let topic = "messaging.direct_message_sent"
    public var senderId: AccountID
    public var recipientId: AccountID
    public var sentAt: Int64
}

/// The `message_request` notification type and who may see what it points at.
struct MessagingNotices: Sendable {
    let env: MessagingEnvironment

    static let kinds: [NotificationKind] = [
        .init("message_request", "Someone you have no connection with wants to message you.", groupable: true, target: "conversation",
              text: "{actor} wants to send you a message", groupText: "{actor} and {others} want to send you messages")
    ]

    func register() throws {
        let catalog = env.kernel.notificationCatalog
        try catalog.register(Self.kinds)
        let env = self.env
        // Seen while the recipient is still a member (the request not deleted); a conversation
        // that cannot be found is invisible (fail closed).
        try catalog.registerTarget("conversation") { ids, recipient in
            let member = try await ConversationStore.memberOf(
                ids.compactMap(ConversationID.init).map(\.rawValue), account: recipient,
                states: [MembershipState.request.rawValue, MembershipState.active.rawValue], on: env.database.sql)
            return Set(member.map(String.init))
        }
        env.kernel.events.subscribeNotices(MessageRequested.self, consumer: "messaging.message_request_notices", notifier: env.kernel.notifier) {
            event, id in
            [
                NotificationDraft(
                    recipient: event.recipientId, type: "message_request", actor: event.senderId,
                    target: NotificationTarget(kind: "conversation", id: event.conversationId.description),
                    dedupeKey: NotificationDraft.key(event: id, type: "message_request"))
            ]
        }
    }
}
