import EntativaCore
import EntativaModels

/// Takes' notification type: creators joining a trend, told to its originator and grouped per
/// trend ("alice and 141 others joined your trend"). A `take_trend` target is visible to whoever
/// started the trend, while it exists.
struct TakeNotices: Sendable {
    let env: TakesEnvironment

    static let type = "trend_joined"
    static let targetKind = "take_trend"

    static let kinds: [NotificationKind] = [
        .init(
            type, "Creators joined a trend you started.", groupable: true, target: targetKind, text: "{actor} joined your trend",
            groupText: "{actor} and {others} joined your trend")
    ]

    func register() throws {
        let catalog = env.kernel.notificationCatalog
        try catalog.register(Self.kinds)
        let database = env.database
        try catalog.registerTarget(Self.targetKind) { ids, recipient in
            let trends = try await TrendStore.find(ids.compactMap(TrendID.init), on: database.sql)
            return Set(trends.filter { $0.originatorId == recipient }.map(\.id.description))
        }
        env.kernel.events.subscribeNotices(TrendJoined.self, consumer: "takes.notify_trend_joined", notifier: env.kernel.notifier) { event, id in
            [
                NotificationDraft(
                    recipient: event.originatorId, type: Self.type, actor: event.participantId,
                    target: NotificationTarget(kind: Self.targetKind, id: event.trendId.description),
                    object: NotificationTarget(kind: "post", id: event.takeId.description), dedupeKey: NotificationDraft.key(event: id, type: Self.type))
            ]
        }
    }
}
