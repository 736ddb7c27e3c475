import EntativaCore
import EntativaModels
import SQLKit

/// What messaging does when an account is deleted: its devices, their keys and the envelopes
/// waiting for them go, so nobody can start a session with it any more; its direct
/// conversations go for both sides, and it leaves its groups (an admin succeeding it where it was
/// the last). Envelopes it sent stay with their recipients until acknowledged. Idempotent, so a
/// retried job is harmless.
struct MessagingErasure: Sendable {
    let env: MessagingEnvironment

    func subscribe() {
        let env = self.env
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "messaging.account_deleted") { event, _ in
            let account = event.accountId
            let events = try await env.database.transaction { db -> [RealtimeEvent] in
                try await DeviceStore.deleteAll(of: account, on: db)
                try await PresenceStore.deleteAll(of: account, on: db)
                let memberships = try await ConversationStore.memberships(of: account, on: db)
                try await ConversationStore.delete(
                    memberships.filter { $0.conversation.kind == ConversationKind.direct.rawValue }.map(\.conversation.id), on: db)
                var events: [RealtimeEvent] = []
                for group in memberships where group.conversation.kind == ConversationKind.group.rawValue {
                    let id = group.conversation.id
                    _ = try await ConversationStore.lock(id, forUpdate: env.database.forUpdate, on: db)
                    let members = try await ConversationStore.members(id, on: db)
                    events += try await Groups.removeLocked(account, from: ConversationID(rawValue: id), members: members, env: env, on: db)
                }
                return events
            }
            env.kernel.realtime.didCommit(events)
        }
    }
}
