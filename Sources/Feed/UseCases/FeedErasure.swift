import EntativaCore
import SQLKit

/// What the feed does when an account is deleted: its home, its interaction history and its impressions go, and
/// its posts leave everyone else's. Deleting what is already gone is harmless, so a retried job is too.
struct FeedErasure: Sendable {
    let env: FeedEnvironment

    func subscribe() {
        let database = env.database
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "feed.account_deleted") { event, _ in
            try await database.transaction { db in
                try await HomeEntryStore.removeAll(of: event.accountId, on: db)
                try await PullStateStore.remove(event.accountId, on: db)
                try await InteractionStore.removeAll(of: event.accountId, on: db)
                try await ImpressionStore.removeAll(of: event.accountId, on: db)
            }
        }
    }
}
