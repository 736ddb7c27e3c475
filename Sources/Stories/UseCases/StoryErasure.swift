import EntativaCore
import SQLKit

/// What stories does when an account is deleted: its stories go, tray and archive alike.
/// Deleting what is already gone is harmless, so a retried job is too.
struct StoryErasure: Sendable {
    let env: StoriesEnvironment

    func subscribe() {
        let database = env.database
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "stories.account_deleted") { event, _ in
            try await database.transaction { db in try await StoryStore.deleteAll(of: event.accountId, on: db) }
        }
    }
}
