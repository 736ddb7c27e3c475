import EntativaCore
import EntativaModels
import Foundation
import Graph
import SQLKit

/// Push and email for stored notifications, as durable jobs. Each (notification, channel,
/// device) gets one delivery row before anything is sent, so a retried job never sends twice
/// what it already sent; content deleted meanwhile, and actors blocked or muted meanwhile, are
/// checked again at send time.
struct Deliveries: Sendable {
    let env: NotificationsEnvironment
    let channels: PushChannels
    static let pushJob = JobDefinition<DeliveryID>("notification.push", maxAttempts: 8)
    static let emailJob = JobDefinition<DeliveryID>("notification.email", maxAttempts: 8)

    struct DeliveryID: Codable, Sendable {
        var deliveryId: Int64
    }

    func register() {
        let jobs = env.kernel.jobs
        jobs.register(Notifier.deliverJob) { request in try await plan(request.notificationId) }
        jobs.register(Self.pushJob) { request in try await push(request.deliveryId) }
        jobs.register(Self.emailJob) { request in try await email(request.deliveryId) }
    }

    /// Decides the channels of one notification now: sends, defers to the end of quiet hours,
    /// or drops (paused, switched off, no longer allowed).
    func plan(_ notificationID: Int64) async throws {
        let db = env.database.sql
        guard let row = try await db.raw("SELECT * FROM notifications WHERE id = \(bind: notificationID)").first().map({ try NotificationRow(row: $0) }),
            let (setting, rules, fromCloseFriend) = try await stillAllowed(row)
        else { return }
        let now = env.clock.now()
        let pushTiming = rules.timing(type: row.type, channelEnabled: setting.push, fromCloseFriend: fromCloseFriend, at: now)
        let emailTiming = rules.timing(type: row.type, channelEnabled: setting.email, fromCloseFriend: fromCloseFriend, at: now)
        for timing in [pushTiming, emailTiming] {
            if case .deferred(let until) = timing {
                try await env.kernel.jobs.enqueue(Notifier.deliverJob, .init(notificationId: notificationID), on: db, runAt: until)
                return
            }
        }
        // Urgent kinds (security notices) are mailed at once, never held for a digest.
        let digest = rules.preferences.emailDigest != .off && env.catalog.kind(row.type)?.urgent != true
        let env = self.env
        try await env.database.transaction { db in
            if pushTiming == .now {
                let devices = try await db.raw("SELECT id FROM push_devices WHERE account_id = \(bind: row.accountId.rawValue)").all()
                for device in devices {
                    let deviceID = try device.decode(column: "id", as: Int64.self)
                    if let id = try await insertDelivery(row, channel: "push", device: deviceID, state: "pending", on: db) {
                        try await env.kernel.jobs.enqueue(Self.pushJob, .init(deliveryId: id), on: db)
                    }
                }
            }
            if emailTiming == .now, let id = try await insertDelivery(row, channel: "email", device: 0, state: digest ? "digest" : "pending", on: db),
                !digest
            {
                try await env.kernel.jobs.enqueue(Self.emailJob, .init(deliveryId: id), on: db)
            }
        }
        env.kernel.jobs.notify()
    }

    /// The recipient's setting if the notification may still go out: what it points at is still
    /// visible to them, and its actor is neither blocked nor muted and still passes "from whom".
    func stillAllowed(_ row: NotificationRow) async throws -> (TypePreference, PreferenceRules, fromCloseFriend: Bool)? {
        let recipient = row.accountId
        let rules = PreferenceRules(preferences: try await Preferences(env: env).get(recipient))
        guard let setting = rules.setting(for: row.type) else { return nil }
        let pairs = try await env.connections.between(recipients: [recipient], actors: [row.actor].compactMap { $0 })
        let pointers = [row.target, row.object].compactMap { $0 }
        let visible = try await env.catalog.visible(pointers, to: recipient)
        guard env.reaches(recipient, type: row.type, actor: row.actor, pointers: pointers, rules: rules, pairs: pairs, visible: visible) else { return nil }
        let fromCloseFriend = row.actor.map { pairs.closeFriends.contains(AccountPair(recipient, $0)) } ?? false
        return (setting, rules, fromCloseFriend)
    }

    private func insertDelivery(_ row: NotificationRow, channel: String, device: Int64, state: String, on db: any SQLDatabase) async throws -> Int64? {
        let id = env.kernel.ids.next()
        let inserted = try await db.raw("""
            INSERT INTO notification_deliveries (id, notification_id, account_id, channel, device_id, state, created_at)
            VALUES (\(bind: id), \(bind: row.id.rawValue), \(bind: row.accountId.rawValue), \(bind: channel), \(bind: device), \(bind: state), \(bind: env.clock.nowMillis()))
            ON CONFLICT (notification_id, channel, device_id) DO NOTHING RETURNING id
            """).all()
        return inserted.isEmpty ? nil : id
    }

    private func finish(_ delivery: Int64, state: String, detail: String? = nil) async throws {
        try await env.database.sql.raw("""
            UPDATE notification_deliveries SET state = \(bind: state), detail = \(bind: detail.map { String($0.prefix(500)) }),
                sent_at = \(bind: env.clock.nowMillis())
            WHERE id = \(bind: delivery)
            """).run()
    }

    func push(_ deliveryID: Int64) async throws {
        let db = env.database.sql
        guard let delivery = try await db.raw("""
            SELECT d.state, d.notification_id, p.id AS device_id, p.platform, p.token, p.app_id, p.p256dh, p.auth
            FROM notification_deliveries d LEFT JOIN push_devices p ON p.id = d.device_id WHERE d.id = \(bind: deliveryID)
            """).first(), try delivery.decode(column: "state", as: String.self) == "pending"
        else { return }
        let notificationID = try delivery.decode(column: "notification_id", as: Int64.self)
        guard let platformName = try delivery.decode(column: "platform", as: String?.self) else {
            return try await finish(deliveryID, state: "skipped", detail: "device removed")
        }
        let platform = try PushPlatform(stored: platformName)
        guard let row = try await db.raw("SELECT * FROM notifications WHERE id = \(bind: notificationID)").first().map({ try NotificationRow(row: $0) }),
            try await stillAllowed(row) != nil
        else { return try await finish(deliveryID, state: "skipped", detail: "no longer deliverable") }
        guard let sender = channels.senders[platform] else {
            return try await finish(deliveryID, state: "skipped", detail: "\(platform.rawValue) push is not configured")
        }
        let destination = PushDestination(
            platform: platform, token: try delivery.decode(column: "token", as: String.self), appID: try delivery.decode(column: "app_id", as: String?.self),
            p256dh: try delivery.decode(column: "p256dh", as: String?.self), auth: try delivery.decode(column: "auth", as: String?.self))
        let content = try await content(for: row)
        switch try await sender.send(content, to: destination, deliveryID: deliveryID) {
        case .delivered:
            try await finish(deliveryID, state: "sent")
        case .invalidToken:
            try await db.raw("DELETE FROM push_devices WHERE id = \(bind: try delivery.decode(column: "device_id", as: Int64.self))").run()
            try await finish(deliveryID, state: "failed", detail: "invalid token; device removed")
        case .rejected(let reason):
            try await finish(deliveryID, state: "failed", detail: reason)
        case .retryLater(let reason):
            throw AppError.unavailable("push provider asked to retry: \(reason)")
        }
    }

    func content(for row: NotificationRow) async throws -> PushContent {
        let recipient = row.accountId
        let actor = try await row.actor.asyncMap { id in
            try await env.profiles.accounts([id], viewer: Principal.ordinaryAccount(recipient), counts: false).first
        } ?? nil
        let text = env.catalog.kind(row.type)?.render(actorName: actor?.username, count: 1) ?? row.type
        var data = row.dataMap
        data["notification_id"] = row.id.description
        data["type"] = row.type
        if let target = row.target { data["target_kind"] = target.kind; data["target_id"] = target.id }
        return PushContent(
            title: env.kernel.config.instanceName, body: text, data: data, collapseKey: "n\(row.groupId.rawValue)", threadID: row.type)
    }

    func email(_ deliveryID: Int64) async throws {
        let db = env.database.sql
        guard let delivery = try await db.raw("SELECT state, notification_id FROM notification_deliveries WHERE id = \(bind: deliveryID)").first(),
            try delivery.decode(column: "state", as: String.self) == "pending"
        else { return }
        let notificationID = try delivery.decode(column: "notification_id", as: Int64.self)
        guard let row = try await db.raw("SELECT * FROM notifications WHERE id = \(bind: notificationID)").first().map({ try NotificationRow(row: $0) }),
            try await stillAllowed(row) != nil
        else { return try await finish(deliveryID, state: "skipped", detail: "no longer deliverable") }
        let recipient = try await env.profiles.me(Principal.ordinaryAccount(row.accountId), counts: false)
        guard let address = recipient.email else { return try await finish(deliveryID, state: "skipped", detail: "no address") }
        let content = try await content(for: row)
        let mail = NotificationEmail.single(content, to: address, username: recipient.username, instance: env.kernel.config.instanceName,
                                            link: env.kernel.config.publicURL)
        let env = self.env
        try await env.database.transaction { db in
            try await env.kernel.mailer.enqueue(mail, on: db)
            try await db.raw("""
                UPDATE notification_deliveries SET state = 'sent', sent_at = \(bind: env.clock.nowMillis()) WHERE id = \(bind: deliveryID)
                """).run()
        }
        env.kernel.jobs.notify()
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
