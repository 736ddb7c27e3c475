import EntativaCore
import EntativaModels

/// The stories domain's notification types, who may see what they point at, and the consumers
/// that notify.
struct StoryNotices: Sendable {
    let env: StoriesEnvironment

    static let kinds: [NotificationKind] = [
        .init("story_mention", "Someone mentioned you in their story.", groupable: false, target: "story",
              text: "{actor} mentioned you in their story"),
        .init(Countdowns.notificationType, "A countdown you follow has ended.", groupable: false, target: Countdowns.targetKind,
              text: "{actor}'s countdown has ended"),
        .init("story_reply", "Someone replied to your story.", groupable: true, target: "story", text: "{actor} replied to your story"),
    ]

    func register() throws {
        let catalog = env.kernel.notificationCatalog
        try catalog.register(Self.kinds)
        let env = self.env
        // The one story rule: a recipient is pointed only at a story they may watch now. Anything
        // not found is invisible (fail closed).
        try catalog.registerTarget("story") { ids, recipient in
            let rows = try await StoryStore.find(ids.compactMap(StoryID.init), on: env.database.sql)
            let context = try await StoryAccess(env: env).context(for: rows, viewer: .ordinaryAccount(recipient))
            return Set(rows.filter(context.canSee).map(\.id.description))
        }
        // A countdown outlives its story's day: its notice shows while the story exists (live or
        // archived) and its author is visible to the recipient, who subscribed to it.
        try catalog.registerTarget(Countdowns.targetKind) { ids, recipient in
            var visible = Set<String>()
            for id in ids.compactMap(StickerID.init) {
                guard let sticker = try await StickerStore.find(id, on: env.database.sql),
                    try await StickerStore.answer(of: recipient, to: id, on: env.database.sql) != nil,
                    let story = try await StoryStore.find(sticker.storyId, on: env.database.sql),
                    !(try await env.profiles.accounts([story.authorId], viewer: .ordinaryAccount(recipient), counts: false).isEmpty)
                else { continue }
                visible.insert(id.description)
            }
            return visible
        }
        let notifier = env.kernel.notifier
        env.kernel.events.subscribeNotices(StoryReplied.self, consumer: "stories.replies", notifier: notifier) { event, id in
            [
                NotificationDraft(
                    recipient: event.authorId, type: "story_reply", actor: event.senderId,
                    target: NotificationTarget(kind: "story", id: event.storyId.description), dedupeKey: NotificationDraft.key(event: id, type: "story_reply"))
            ]
        }
        env.kernel.events.subscribeNotices(StoryPosted.self, consumer: "stories.mentions", notifier: notifier) { event, id in
            event.mentioned.map {
                NotificationDraft(
                    recipient: $0, type: "story_mention", actor: event.authorId, target: NotificationTarget(kind: "story", id: event.storyId.description),
                    dedupeKey: NotificationDraft.key(event: id, type: "story_mention-\($0)"))
            }
        }
    }
}
