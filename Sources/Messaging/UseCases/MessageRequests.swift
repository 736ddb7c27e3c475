import EntativaCore
import EntativaModels
import Graph
import SQLKit

/// What a member does with a conversation as a whole: accept a request, delete the conversation
/// for itself (declining a request, or leaving a group), or block whoever brought it.
struct MessageRequests: Sendable {
    let env: MessagingEnvironment

    /// Accepting an accepted conversation changes nothing.
    func accept(_ id: ConversationID, caller: Principal) async throws -> Conversation {
        let joined = try await Conversations(env: env).membership(id, caller: caller)
        if !joined.member.isActive {
            let env = self.env
            let account = caller.accountID
            let events = try await env.database.transaction { db -> [RealtimeEvent] in
                guard
                    try await ConversationStore.setState(
                        id.rawValue, account, from: [MembershipState.request.rawValue], to: MembershipState.active.rawValue, notifiedAt: joined.member.requestNotifiedAt,
                        on: db)
                else { return [] }
                let members = try await ConversationStore.members(id.rawValue, on: db).filter { $0.state != ConversationStore.deletedState }
                return try await env.kernel.realtime.publish(
                    ConversationChanged.type, ConversationChanged(conversationId: id, change: "accepted"), to: members.map(\.account), on: db)
            }
            env.kernel.realtime.didCommit(events)
        }
        return try await Conversations(env: env).one(id, caller: caller)
    }

    /// A direct conversation disappears from my lists and what waits for my devices in it goes;
    /// the other side's next message brings it back (as a request, unless we are connected). A
    /// group I leave.
    func delete(_ id: ConversationID, caller: Principal) async throws {
        let joined = try await Conversations(env: env).membership(id, caller: caller)
        guard joined.conversation.kind == ConversationKind.direct.rawValue else {
            return try await Groups(env: env).remove(caller.accountID, from: id, caller: caller)
        }
        let env = self.env
        let account = caller.accountID
        let events = try await env.database.transaction { db -> [RealtimeEvent] in
            _ = try await ConversationStore.setState(id.rawValue, account, from: Conversations.visibleStates, to: ConversationStore.deletedState, on: db)
            try await ConversationStore.setSettings(id.rawValue, account, mutedUntil: nil, archivedAt: nil, on: db)
            try await ConversationStore.recount(id.rawValue, on: db)
            try await EnvelopeStore.deleteAll(for: account, conversation: id.rawValue, on: db)
            return try await env.kernel.realtime.publish(
                ConversationChanged.type, ConversationChanged(conversationId: id, change: "removed"), to: [account], on: db)
        }
        env.kernel.realtime.didCommit(events)
    }

    /// Blocks the other account of a direct conversation, or whoever added me to a group, and
    /// deletes the conversation for me.
    func block(_ id: ConversationID, caller: Principal) async throws {
        let joined = try await Conversations(env: env).membership(id, caller: caller)
        let culprit: AccountID? =
            joined.conversation.kind == ConversationKind.direct.rawValue
            ? Conversations.other(joined, caller.accountID) : joined.member.addedBy.map(AccountID.init(rawValue:))
        if joined.conversation.kind == ConversationKind.direct.rawValue && culprit == caller.accountID {
            throw AppError.invalid(field: "conversation_id", code: "self", message: "is my conversation with myself: delete it instead")
        }
        // Deleted first: once blocked, the conversation is no longer mine to see.
        try await delete(id, caller: caller)
        if let culprit, culprit != caller.accountID { _ = try await Blocks(env: env.graph).block(culprit, caller: caller) }
    }
}
