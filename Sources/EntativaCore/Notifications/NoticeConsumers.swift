import EntativaModels

extension EventBus {
    /// Subscribes `consumer` to turn each `Event` into notices. Events come in batches of up to
    /// `maxBatch`, so a burst (a popular post's reactions) is one call to the notifier, which
    /// filters, groups and stores the whole batch together, instead of one job per event. A batch
    /// that fails is retried event by event, so one bad event holds up only itself.
    public func subscribeNotices<Event: DomainEvent>(
        _ type: Event.Type, consumer: String, notifier: any Notifying, maxBatch: Int = 100,
        drafts: @escaping @Sendable (_ event: Event, _ eventID: Int64) -> [NotificationDraft]
    ) {
        subscribeBatch(type, consumer: consumer, maxBatch: maxBatch) { events in
            try await notifier.notify(events.flatMap { drafts($0.event, $0.eventID) })
        }
    }
}
