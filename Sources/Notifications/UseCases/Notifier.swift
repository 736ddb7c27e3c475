import EntativaCore
import EntativaModels
import Foundation
import Graph
import Identity

/// Turns drafts into stored, grouped notifications: drops what the recipient's preferences,
/// blocks and mutes keep out and what they can't see, stores the rest in one transaction with a
/// realtime event each, and queues push and email delivery. It fills the kernel's `notifier`
/// slot, through which the producing modules reach it.
public struct Notifier: Notifying {
    let env: NotificationsEnvironment
    static let deliverJob = JobDefinition<DeliveryRequest>("notification.deliver", maxAttempts: 8)

    struct DeliveryRequest: Codable, Sendable {
        var notificationId: Int64
    }

    /// What goes over the realtime socket with each new notification (written by `RealtimePayloadJSON`).
    struct RealtimePayload: Codable, Sendable {
        var notification: AppNotification
        var groupCount: Int
    }

    @discardableResult
    public func notify(_ drafts: [NotificationDraft]) async throws -> [NotificationID] {
        let admitted = try await admit(drafts)
        guard !admitted.isEmpty else { return [] }
        let env = self.env
        let actorIDs = Array(Set(admitted.compactMap(\.0.actor)))
        // Blocked pairs were not admitted, so one public view of the actors serves every recipient.
        let profiles = try await env.profiles.accounts(actorIDs, viewer: nil)
        let actors = Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0) })
        let settings = Dictionary(admitted.map { ($0.0.dedupeKey, $0.1) }, uniquingKeysWith: { first, _ in first })
        let pending = admitted.map { PendingNotification(draft: $0.0, groupable: env.catalog.kind($0.0.type)?.groupable ?? false) }
        let now = env.clock.nowMillis()
        let (ids, events): ([NotificationID], [RealtimeEvent]) = try await env.database.transaction { db in
            try await NotificationStore.lock(pending.map(\.draft.recipient), engine: env.database.engine, on: db)
            let state = try await NotificationStore.groupingState(for: pending, window: env.groupingWindow, now: now, on: db)
            let plan = try GroupingPlanner(now: now, nextID: { env.kernel.ids.next() }).plan(pending, given: state)
            try await NotificationStore.add(plan, on: db)
            var events: [RealtimeEvent] = []
            var deliveries: [DeliveryRequest] = []
            let json = try RealtimePayloadJSON(actors: actors)
            for added in plan.stored {
                guard let setting = settings[added.notification.dedupeKey] else { continue }
                if setting.inApp {
                    let rendered = render(added.notification, actor: added.notification.actor.flatMap { actors[$0] }, groupKey: added.group.groupKey)
                    let payload = json.payload(rendered, groupCount: added.group.count)
                    events.append(RealtimeEvent(
                        id: env.kernel.ids.next(), accountID: added.notification.accountId, type: "notification",
                        payloadJSON: payload, createdAt: now))
                }
                if setting.push || setting.email { deliveries.append(DeliveryRequest(notificationId: added.notification.id.rawValue)) }
            }
            try await env.kernel.realtime.record(events, on: db)
            try await env.kernel.jobs.enqueue(Self.deliverJob, many: deliveries, on: db)
            return (plan.stored.map(\.notification.id), events)
        }
        env.kernel.realtime.didCommit(events)
        if !ids.isEmpty { env.kernel.jobs.notify() }
        return ids
    }

    /// Deletes the notices about a deleted post; pending deliveries then find nothing to send.
    public func withdraw(aboutPost post: PostID) async throws {
        let env = self.env
        try await env.database.transaction { db in
            try await NotificationStore.delete(aboutPost: post, engine: env.database.engine, on: db)
        }
    }

    public func withdraw(about targets: [NotificationTarget]) async throws {
        guard !targets.isEmpty else { return }
        let env = self.env
        try await env.database.transaction { db in
            for target in targets { try await NotificationStore.delete(about: target, engine: env.database.engine, on: db) }
        }
    }

    /// The drafts that may reach their recipients, in the order given, with the recipients'
    /// setting for the type.
    func admit(_ drafts: [NotificationDraft]) async throws -> [(NotificationDraft, TypePreference)] {
        let known = drafts.filter { env.catalog.kind($0.type) != nil && $0.actor != $0.recipient }
        // An event may be handled after the deletion of an account it names was (retries reorder
        // jobs): nothing is stored for or from an account that is gone, or it would outlive the purge.
        let standings = try await env.standings.of(known.map(\.recipient) + known.compactMap(\.actor))
        let present = { (account: AccountID) in standings[account].map { $0.status != .deleted } ?? false }
        let candidates = known.filter { present($0.recipient) && ($0.actor.map(present) ?? true) }
        let recipients = candidates.map(\.recipient)
        let preferences = try await Preferences(env: env).load(recipients, on: env.database.sql)
        let pairs = try await env.connections.between(recipients: recipients, actors: candidates.compactMap(\.actor))
        var visible: [AccountID: Set<NotificationTarget>] = [:]
        for (recipient, batch) in Dictionary(grouping: candidates.filter { $0.target != nil || $0.object != nil }, by: \.recipient) {
            visible[recipient] = try await env.catalog.visible(batch.flatMap { [$0.target, $0.object].compactMap { $0 } }, to: recipient)
        }
        return candidates.compactMap { draft in
            guard let rules = preferences[draft.recipient].map(PreferenceRules.init), let setting = rules.setting(for: draft.type),
                setting.inApp || setting.push || setting.email
            else { return nil }
            let pointers = [draft.target, draft.object].compactMap { $0 }
            guard env.reaches(
                draft.recipient, type: draft.type, actor: draft.actor, pointers: pointers, rules: rules, pairs: pairs,
                visible: visible[draft.recipient] ?? [])
            else { return nil }
            return (draft, setting)
        }
    }

    func render(_ row: NotificationRow, actor: Account?, groupKey: String? = nil, count: Int = 1) -> AppNotification {
        let kind = env.catalog.kind(row.type)
        return AppNotification(
            id: row.id, type: row.type, actor: actor, target: row.target, object: row.object,
            groupKey: groupKey ?? "", text: kind?.render(actorName: actor?.username, count: count) ?? row.type, data: row.dataMap,
            read: row.readAt != nil, createdAt: Date(millisecondsSince1970: row.createdAt))
    }
}
