import EntativaCore
import EntativaModels
import Foundation
import Messaging
import Posts

/// How close a reader is to an author, from what the reader did to the author's posts and how
/// they talk: Σ weight × 2^(−age ÷ 14 days) over the last 90 days, with reactions weighing 1,
/// comments and replies 2, shares 3, a day's profile views 1 (`ProfileViews`) and a day's direct
/// messages to the author 2 (messaging announces only the first of each day, never what was
/// said). Recorded from the events, one row per event (a retried consumer records nothing
/// twice); the sum is taken when a ranked page is read (`ReaderHistory`).
struct Affinity: Sendable {
    let env: FeedEnvironment

    static let halfLifeMillis: Double = 14 * 24 * 3_600_000
    static let horizonMillis: Int64 = 90 * 24 * 3_600_000
    static let weights = (reaction: 1, comment: 2, share: 3, profileView: 1, message: 2)

    struct Purge: Codable, Sendable {}
    static let purgeJob = JobDefinition<Purge>("feed.purge_interactions", maxAttempts: 5)

    /// Interactions older than the horizon no longer count; a daily job deletes them.
    func registerJobs() throws {
        let (database, clock) = (env.database, env.kernel.clock)
        env.kernel.jobs.register(Self.purgeJob) { _ in
            try await database.transaction { db in try await InteractionStore.purge(before: clock.nowMillis() - Self.horizonMillis, on: db) }
        }
        try env.kernel.jobs.every(Self.purgeJob, interval: .seconds(24 * 3600), payload: Purge())
    }

    func subscribe() {
        let events = env.kernel.events
        let database = env.database
        let clock = env.kernel.clock
        events.subscribeBatch(PostReacted.self, consumer: "feed.affinity_reactions", maxBatch: 100) { batch in
            let now = clock.nowMillis()
            let rows = batch.compactMap { event, id in
                Self.interaction(id, event.reactorId, event.ownerId, Self.weights.reaction, now)
            }
            try await database.transaction { db in try await InteractionStore.record(rows, on: db) }
        }
        events.subscribeBatch(PostCommented.self, consumer: "feed.affinity_comments", maxBatch: 100) { batch in
            let now = clock.nowMillis()
            let rows = batch.compactMap { event, id in
                Self.interaction(id, event.authorId, event.inReplyToAuthorId ?? event.postAuthorId, Self.weights.comment, now)
            }
            try await database.transaction { db in try await InteractionStore.record(rows, on: db) }
        }
        events.subscribeBatch(PostShared.self, consumer: "feed.affinity_shares", maxBatch: 100) { batch in
            let now = clock.nowMillis()
            let rows = batch.compactMap { event, id in
                Self.interaction(id, event.sharerId, event.originalAuthorId, Self.weights.share, now)
            }
            try await database.transaction { db in try await InteractionStore.record(rows, on: db) }
        }
        events.subscribeBatch(DirectMessageSent.self, consumer: "feed.affinity_messages", maxBatch: 100) { batch in
            let rows = batch.compactMap { event, id in
                Self.interaction(id, event.senderId, event.recipientId, Self.weights.message, event.sentAt)
            }
            try await database.transaction { db in try await InteractionStore.record(rows, on: db) }
        }
    }

    /// Nothing is recorded for interacting with oneself.
    private static func interaction(_ eventId: Int64, _ viewer: AccountID, _ author: AccountID, _ weight: Int, _ at: Int64) -> InteractionStore.Interaction? {
        viewer == author ? nil : InteractionStore.Interaction(eventId: eventId, viewer: viewer, author: author, weight: weight, at: at)
    }

    /// What one interaction at `at` adds to an affinity at `now`.
    static func decayed(_ weight: Int, at: Int64, now: Int64) -> Double {
        Double(weight) * exp2(-Double(max(0, now - at)) / halfLifeMillis)
    }
}
