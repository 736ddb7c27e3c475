import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Turns drafts into stored, grouped notifications: drops what the recipient's preferences,
/// blocks and mutes keep out and what they can't see, stores the rest in one transaction with a
/// realtime event each, and queues push and email delivery.
public struct Notifier: Sendable {
    let env: NotificationsEnvironment
    static let deliverJob = JobDefinition<DeliveryRequest>("notification.deliver", maxAttempts: 8)

    struct DeliveryRequest: Codable, Sendable {
        var notificationId: Int64
    }

    /// What goes over the realtime socket with each new notification.
    struct RealtimePayload: Encodable, Sendable {
        var notification: AppNotification
        var groupCount: Int
    }

    @discardableResult
    public func notify(_ drafts: [NotificationDraft]) async throws -> [NotificationID] {
        let admitted = try await admit(drafts)
        guard !admitted.isEmpty else { return [] }
        let env = self.env
        let actors = try await actorProfiles(for: admitted)
        let now = env.clock.nowMillis()
        let (ids, events): ([NotificationID], [RealtimeEvent]) = try await env.database.transaction { db in
            var ids: [NotificationID] = []
            var events: [RealtimeEvent] = []
            for (draft, setting) in admitted {
                let groupable = env.registry.kind(draft.type)?.groupable ?? false
                guard let added = try await NotificationStore.add(
                    draft, groupable: groupable, window: env.groupingWindow, now: now, ids: env.kernel.ids, engine: env.database.engine, on: db)
                else { continue }
                ids.append(NotificationID(rawValue: added.notification.id))
                if setting.inApp {
                    let rendered = render(added.notification, actor: draft.actor.flatMap { actors[draft.recipient]?[$0] }, groupKey: added.group.groupKey)
                    events += try await env.kernel.realtime.publish(
                        "notification", RealtimePayload(notification: rendered, groupCount: added.group.count), to: [draft.recipient], on: db)
                }
                if setting.push || setting.email {
                    try await env.kernel.jobs.enqueue(Self.deliverJob, DeliveryRequest(notificationId: added.notification.id), on: db)
                }
            }
            return (ids, events)
        }
        env.kernel.realtime.didCommit(events)
        if !ids.isEmpty { env.kernel.jobs.notify() }
        return ids
    }

    /// The drafts that may reach their recipients, in the order given, with the recipients'
    /// setting for the type.
    func admit(_ drafts: [NotificationDraft]) async throws -> [(NotificationDraft, TypePreference)] {
        let candidates = drafts.enumerated().filter { env.registry.kind($0.element.type) != nil && $0.element.actor != $0.element.recipient }
        let preferences = try await Preferences(env: env).load(candidates.map(\.element.recipient), on: env.database.sql)
        var admitted: [(offset: Int, draft: NotificationDraft, setting: TypePreference)] = []
        for (recipient, batch) in Dictionary(grouping: candidates, by: \.element.recipient) {
            guard let rules = preferences[recipient].map(PreferenceRules.init) else { continue }
            let actors = Array(Set(batch.compactMap(\.element.actor)))
            let connections = try await env.connections.ofRecipient(recipient, with: actors)
            let blocked = try await env.kernel.blocks.blocked(with: recipient, among: actors)
            let visible = try await env.visibleTargets(batch.compactMap(\.element.target), to: recipient)
            for (offset, draft) in batch {
                guard let setting = rules.setting(for: draft.type), setting.inApp || setting.push || setting.email else { continue }
                if let actor = draft.actor {
                    guard !blocked.contains(actor), !connections.muted.contains(actor) else { continue }
                    let friends = connections.friends.contains(actor)
                        || (env.kernel.config.platform == .vignette && connections.following.contains(actor) && connections.followers.contains(actor))
                    guard rules.admits(type: draft.type, actor: actor, follows: connections.following.contains(actor), friends: friends) else { continue }
                }
                if let target = draft.target, !visible.contains(target) { continue }
                admitted.append((offset, draft, setting))
            }
        }
        return admitted.sorted { $0.offset < $1.offset }.map { ($0.draft, $0.setting) }
    }

    /// Each recipient's view of the actors, so a realtime event never shows a hidden profile.
    private func actorProfiles(for admitted: [(NotificationDraft, TypePreference)]) async throws -> [AccountID: [AccountID: Account]] {
        var result: [AccountID: [AccountID: Account]] = [:]
        for (recipient, items) in Dictionary(grouping: admitted, by: { $0.0.recipient }) {
            let actors = Array(Set(items.compactMap { $0.0.actor }))
            guard !actors.isEmpty else { continue }
            let accounts = try await env.profiles.accounts(actors, viewer: NotificationsEnvironment.principal(recipient))
            result[recipient] = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        }
        return result
    }

    func render(_ row: NotificationRow, actor: Account?, groupKey: String? = nil, count: Int = 1) -> AppNotification {
        let kind = env.registry.kind(row.type)
        return AppNotification(
            id: NotificationID(rawValue: row.id), type: row.type, actor: actor, target: row.target, object: row.object,
            groupKey: groupKey ?? "", text: kind?.render(actorName: actor?.username, count: count) ?? row.type, data: row.dataMap,
            read: row.readAt != nil, createdAt: Date(millisecondsSince1970: row.createdAt))
    }
}
