import EntativaCore
import SQLKit

/// What messaging does when an account is deleted: its devices, their keys and the envelopes
/// waiting for them go, so nobody can start a session with it any more. Envelopes it sent stay
/// with their recipients until acknowledged. Idempotent, so a retried job is harmless.
struct MessagingErasure: Sendable {
    let env: MessagingEnvironment

    func subscribe() {
        let database = env.database
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "messaging.account_deleted") { event, _ in
            try await database.transaction { db in try await DeviceStore.deleteAll(of: event.accountId, on: db) }
        }
    }
}
