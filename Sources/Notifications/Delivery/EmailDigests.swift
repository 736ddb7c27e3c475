import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Accounts that chose a daily or weekly digest get their email-enabled notifications collected
/// (delivery rows in state `digest`) and sent as one mail per period.
struct EmailDigests: Sendable {
    let env: NotificationsEnvironment
    struct Tick: Codable, Sendable {}
    static let job = JobDefinition<Tick>("notification.digest", maxAttempts: 3)

    func register() throws {
        env.kernel.jobs.register(Self.job) { _ in try await run() }
        try env.kernel.jobs.every(Self.job, interval: .seconds(15 * 60), payload: Tick())
    }

    func run() async throws {
        let db = env.database.sql
        let accounts = try await db.raw("""
            SELECT DISTINCT account_id FROM notification_deliveries WHERE channel = 'email' AND state = 'digest'
            """).all().map { AccountID(rawValue: try $0.decode(column: "account_id", as: Int64.self)) }
        for account in accounts { try await send(to: account) }
    }

    func send(to account: AccountID) async throws {
        let db = env.database.sql
        let preferences = try await Preferences(env: env).get(account)
        let now = env.clock.nowMillis()
        let period: Int64 = preferences.emailDigest == .weekly ? 7 * 24 * 3_600_000 : 24 * 3_600_000
        let last = try await db.raw("SELECT last_digest_at FROM notification_preferences WHERE account_id = \(bind: account.rawValue)")
            .first()?.decode(column: "last_digest_at", as: Int64?.self) ?? nil
        // A digest switched off meanwhile still flushes what it collected, at once.
        if preferences.emailDigest != .off, let last, now - last < period { return }
        let rows = try await db.raw("""
            SELECT d.id AS delivery_id, n.* FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE d.account_id = \(bind: account.rawValue) AND d.channel = 'email' AND d.state = 'digest' ORDER BY n.id LIMIT 200
            """).all()
        guard !rows.isEmpty else { return }
        let deliveries = Deliveries(env: env, channels: PushChannels())
        var lines: [Int64: String] = [:]
        for row in rows {
            let notification = try NotificationRow(row: row)
            let delivery = try row.decode(column: "delivery_id", as: Int64.self)
            lines[delivery] = try await deliveries.stillAllowed(notification) != nil ? try await deliveries.content(for: notification).body : ""
        }
        let me = try await env.profiles.me(Principal.ordinaryAccount(account), counts: false)
        let env = self.env
        let candidates = lines
        try await env.database.transaction { db in
            // Claims the rows first: of two digest jobs racing, only one gets each row.
            let claimed = try await db.raw("""
                UPDATE notification_deliveries SET state = 'sent', sent_at = \(bind: now)
                WHERE id IN (\(binds: Array(candidates.keys))) AND state = 'digest' RETURNING id
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            let shown = claimed.sorted().compactMap { candidates[$0] }.filter { !$0.isEmpty }
            if let address = me.email, !shown.isEmpty {
                let mail = NotificationEmail.digest(
                    shown, to: address, username: me.username, instance: env.kernel.config.instanceName,
                    period: preferences.emailDigest == .weekly ? "weekly" : "daily", link: env.kernel.config.publicURL)
                try await env.kernel.mailer.enqueue(mail, on: db)
            }
            try await db.raw("""
                INSERT INTO notification_preferences (account_id, settings, last_digest_at, updated_at) VALUES (\(bind: account.rawValue), '{}', \(bind: now), \(bind: now))
                ON CONFLICT (account_id) DO UPDATE SET last_digest_at = excluded.last_digest_at
                """).run()
        }
        env.kernel.jobs.notify()
    }
}
