import EntativaCore
import EntativaModels
import Identity

/// A deleted account's part in notifications: what others received about its actions (their
/// groups recounted), and everything it received or set: notifications, groups, deliveries,
/// preferences, devices. Notices about its posts are withdrawn by the posts module for each
/// `PostDeleted` it sends.
struct NotificationErasure: Sendable {
    let env: NotificationsEnvironment

    func subscribe() {
        let env = self.env
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "notifications.account_deleted") { event, _ in
            try await env.database.transaction { db in
                try await NotificationStore.delete(fromActor: event.accountId, engine: env.database.engine, on: db)
                try await NotificationStore.forget(recipient: event.accountId, engine: env.database.engine, on: db)
            }
        }
    }
}
