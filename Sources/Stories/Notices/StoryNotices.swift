import EntativaCore
import EntativaModels

/// The stories domain's notification type and who may see what it points at.
struct StoryNotices: Sendable {
    let env: StoriesEnvironment

    static let kinds: [NotificationKind] = [
        .init("story_mention", "Someone mentioned you in their story.", groupable: false, target: "story",
              text: "{actor} mentioned you in their story")
    ]

    func register() throws {
        let catalog = env.kernel.notificationCatalog
        try catalog.register(Self.kinds)
        let env = self.env
        // A story is seen while it is in its author's tray and neither of the two blocks the
        // other; once archived, only its author sees it. Audiences (close friends) join this rule
        // with the stories issue. Anything not found is invisible (fail closed).
        try catalog.registerTarget("story") { ids, recipient in
            let live = try await StoryStore.live(ids.compactMap(StoryID.init), now: env.now, on: env.database.sql)
            let blocked = try await env.kernel.blocks.blocked(with: recipient, among: live.map(\.author))
            return Set(live.filter { !blocked.contains($0.author) }.map(\.id.description))
        }
    }
}
