import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// A countdown sticker's end: a job stored with the story, due at the countdown's end, tells every
/// subscriber. Being a stored job, it fires after a restart too (late by at most the time the
/// server was down), and a retried run notifies nobody twice (one dedupe key per subscriber).
struct Countdowns: Sendable {
    let env: StoriesEnvironment

    struct Ended: Codable, Sendable {
        var stickerId: StickerID
    }

    static let endedJob = JobDefinition<Ended>("stories.countdown_ended", maxAttempts: 10)
    static let notificationType = "story_countdown"
    static let targetKind = "countdown"
    private static let page = 500

    func registerJobs() {
        let countdowns = self
        env.kernel.jobs.register(Self.endedJob) { payload in try await countdowns.announce(payload.stickerId) }
    }

    func schedule(_ sticker: StickerStore.StickerRow, on db: any SQLDatabase) async throws {
        guard sticker.kind == .countdown, let endsAt = sticker.endsAt else { return }
        _ = try await env.kernel.jobs.enqueue(Self.endedJob, Ended(stickerId: sticker.id), on: db, runAt: Date(millisecondsSince1970: endsAt))
    }

    /// Notifies every subscriber of an ended countdown; a deleted story's countdown tells nobody.
    func announce(_ id: StickerID) async throws {
        let db = env.database.sql
        guard let sticker = try await StickerStore.find(id, on: db), let story = try await StoryStore.find(sticker.storyId, on: db) else { return }
        var after: AccountID?
        while true {
            let subscribers = try await StickerStore.subscribers(of: id, after: after, limit: Self.page, on: db)
            guard let last = subscribers.last else { return }
            _ = try await env.kernel.notifier.notify(subscribers.map {
                NotificationDraft(
                    recipient: $0, type: Self.notificationType, actor: story.authorId, target: NotificationTarget(kind: Self.targetKind, id: id.description),
                    data: ["title": sticker.title ?? "", "story_id": story.id.description], dedupeKey: "story-countdown-\(id)-\($0)")
            })
            after = last
        }
    }
}
