import EntativaCore
import EntativaModels

/// Identity's notification type (`new_login`), the rule that a session is visible to its own
/// account only, and the consumer of `NewDeviceLogin`.
struct IdentityNotices: Sendable {
    let env: IdentityEnvironment

    static let kinds: [NotificationKind] = [
        .init("new_login", "Your account was signed in to from a new device.", groupable: false, target: "session",
              text: "New sign-in to your account", defaults: TypePreference(inApp: true, push: true, email: true, from: .everyone),
              urgent: true),
    ]

    func register() throws {
        let kernel = env.kernel
        try kernel.notificationCatalog.register(Self.kinds)
        let sessions = Sessions(env: env)
        try kernel.notificationCatalog.registerTarget("session") { ids, recipient in
            Set(try await sessions.owned(ids.compactMap(SessionID.init), by: recipient).map(\.description))
        }
        let notifier = kernel.notifier
        kernel.events.subscribeNotices(NewDeviceLogin.self, consumer: "notifications.new_login", notifier: notifier) { event, id in
            [
                NotificationDraft(
                    recipient: event.accountId, type: "new_login", actor: nil, target: NotificationTarget(kind: "session", id: event.sessionId.description),
                    data: ["device": event.deviceName, "ip": event.ip], dedupeKey: NotificationDraft.key(event: id, type: "new_login"))
            ]
        }
    }
}
