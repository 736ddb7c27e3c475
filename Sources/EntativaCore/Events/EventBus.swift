import EntativaModels
import Foundation
import SQLKit
import Synchronization

/// A fact one domain announces and others react to, e.g. `account.deleted`.
public protocol DomainEvent: Codable, Sendable {
    static var topic: String { get }
}

/// What a consumer's job carries: the event and the outbox row's ID, which consumers use to
/// stay idempotent under at-least-once delivery.
struct EventEnvelope: Codable, Sendable {
    var eventId: Int64
    var topic: String
    var event: String
}

/// The transactional outbox. `publish` writes the event in the caller's transaction; the
/// dispatcher later turns each event into one job per subscribed consumer. Domains never call
/// each other upward: they publish, and higher domains subscribe. A consumer takes its events one
/// at a time (`subscribe`) or in batches (`subscribeBatch`).
public final class EventBus: Sendable {
    let database: AppDatabase
    let jobs: JobQueue
    let ids: IDGenerator
    let clock: any WallClock
    private let consumers = Mutex<[String: [JobDefinition<EventEnvelope>]]>([:])

    public init(database: AppDatabase, jobs: JobQueue, ids: IDGenerator, clock: any WallClock) {
        self.database = database
        self.jobs = jobs
        self.ids = ids
        self.clock = clock
    }

    public func publish<Event: DomainEvent>(_ event: Event, on database: any SQLDatabase) async throws {
        let text = String(decoding: try EntativaJSON.encoder().encode(event), as: UTF8.self)
        try await database.raw("""
            INSERT INTO outbox_events (id, topic, payload, created_at)
            VALUES (\(bind: ids.next()), \(bind: Event.topic), \(bind: text), \(bind: clock.nowMillis()))
            """).run()
        try await jobs.wake(lanes: [JobWakeUps.outbox], on: database)
    }

    /// Registers `consumer` (a stable name: it names the jobs) for every `Event`.
    public func subscribe<Event: DomainEvent>(
        _ type: Event.Type, consumer: String, handler: @escaping @Sendable (Event, _ eventID: Int64) async throws -> Void
    ) {
        let definition = JobDefinition<EventEnvelope>("event.\(consumer)")
        jobs.register(definition) { envelope in
            let event = try EntativaJSON.decoder().decode(Event.self, from: Data(envelope.event.utf8))
            try await handler(event, envelope.eventId)
            EventLag.handled(consumer: consumer, eventIDs: [envelope.eventId])
        }
        consumers.withLock { $0[Event.topic, default: []].append(definition) }
    }

    /// Registers `consumer` for every `Event`, handed over up to `maxBatch` at a time with their
    /// event IDs, oldest first. When the handler throws, each event of the batch is handled again
    /// alone, so one event that always fails holds back no other.
    public func subscribeBatch<Event: DomainEvent>(
        _ type: Event.Type, consumer: String, maxBatch: Int,
        handler: @escaping @Sendable (_ events: [(event: Event, eventID: Int64)]) async throws -> Void
    ) {
        let definition = JobDefinition<EventEnvelope>("event.\(consumer)")
        jobs.registerBatch(definition, maxBatch: maxBatch) { envelopes in
            let decoder = EntativaJSON.decoder()
            try await handler(try envelopes.map { (try decoder.decode(Event.self, from: Data($0.event.utf8)), $0.eventId) })
            EventLag.handled(consumer: consumer, eventIDs: envelopes.map(\.eventId))
        }
        consumers.withLock { $0[Event.topic, default: []].append(definition) }
    }

    /// Events one dispatch moves; a full batch means more may wait.
    public static let dispatchBatch = 100

    /// Moves up to `limit` undispatched events into consumer jobs, in one transaction.
    @discardableResult
    public func dispatchPending(limit: Int = dispatchBatch) async throws -> Int {
        let routes = consumers.withLock { $0 }
        let jobs = self.jobs
        let now = clock.nowMillis()
        let lock = database.skipLocked
        jobs.loopStatements.add(1, ordering: .relaxed)
        let dispatched = try await database.transaction { transaction in
            var lanes: Set<String> = []
            let rows = try await transaction.raw("""
                SELECT id, topic, payload FROM outbox_events WHERE dispatched_at IS NULL
                ORDER BY id LIMIT \(bind: limit)\(unsafeRaw: lock)
                """).all()
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                let topic = try row.decode(column: "topic", as: String.self)
                let payload = try row.decode(column: "payload", as: String.self)
                for definition in routes[topic] ?? [] {
                    _ = try await jobs.insert(definition, EventEnvelope(eventId: id, topic: topic, event: payload), on: transaction)
                    lanes.insert(definition.lane.name)
                }
                // The consumers' jobs carry the event now; the outbox keeps no second copy of who did what.
                try await transaction.raw("UPDATE outbox_events SET dispatched_at = \(bind: now), payload = '' WHERE id = \(bind: id)").run()
            }
            try await jobs.wake(lanes: lanes, on: transaction)
            return rows.count
        }
        return dispatched
    }
}
