import EntativaCore
import EntativaModels
import Foundation

/// The row of circles at the top of the app: whose stories I may watch now. My own come first;
/// then accounts with stories I have not seen; within each, the accounts I am closest to
/// (`ReaderAffinity`), then the newest story first.
public struct StoryTray: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    /// Accounts I follow (and, on Entativa, my friends), less those I muted, and me. The order is
    /// computed per request, so the cursor is a position: a page may repeat or skip an account
    /// whose place changed in between, never show one I may not see.
    public func tray(viewer: Principal, page: PageRequest) async throws -> Page<StoryTrayItem> {
        let me = viewer.accountID
        let sources = try await env.homeGraph.sources(of: me)
        let stories = try await env.liveStories.stories(by: Array(sources) + [me], now: env.now)
        let listed = stories.filter { $0.hasHideFromList && $0.author != me }.map(\.id)
        let hidden = try await StoryStore.hidden(from: me, among: listed, on: env.database.sql)
        // Thousands of authors decide what is visible; only a page of them is shown, with counts.
        let context = try await StoryAccess(env: env).context(
            authors: Array(Set(stories.map(\.author))), viewer: viewer, hidden: hidden, counts: false)
        let visible = stories.filter(context.canSee)
        var seen = Set<StoryID>()
        if let first = visible.lazy.filter({ $0.author != me }).map(\.id.rawValue).min() {
            seen = try await StoryStore.seen(by: me, from: StoryID(rawValue: first), on: env.database.sql)
        }

        struct Entry {
            var author: AccountID
            var count = 0
            var unseen = 0
            var latest: Int64 = 0
            var closeFriends = false
            var affinity = 0.0
        }
        var entries: [AccountID: Entry] = [:]
        for story in visible {
            var entry = entries[story.author] ?? Entry(author: story.author)
            entry.count += 1
            if story.author != me, !seen.contains(story.id) { entry.unseen += 1 }
            entry.latest = max(entry.latest, story.createdAt)
            entry.closeFriends = entry.closeFriends || story.audience == .closeFriends
            entries[story.author] = entry
        }
        let affinity = try await env.affinity.scores(of: me, with: Array(entries.keys))
        var ordered = Array(entries.values)
        for index in ordered.indices { ordered[index].affinity = affinity[ordered[index].author] ?? 0 }
        ordered.sort { lhs, rhs in
            let (left, right) = ((lhs.author == me ? 0 : 1, lhs.unseen > 0 ? 0 : 1), (rhs.author == me ? 0 : 1, rhs.unseen > 0 ? 0 : 1))
            if left != right { return left < right }
            if lhs.affinity != rhs.affinity { return lhs.affinity > rhs.affinity }
            if lhs.latest != rhs.latest { return lhs.latest > rhs.latest }
            return lhs.author.rawValue < rhs.author.rawValue
        }
        let start = min(Int(page.before ?? 0), ordered.count)
        let end = min(start + page.limit, ordered.count)
        let shown = try await env.profiles.accounts(ordered[start..<end].map(\.author), viewer: viewer)
        let accounts = Dictionary(uniqueKeysWithValues: shown.map { ($0.id, $0) })
        return Page(
            items: ordered[start..<end].compactMap { entry in
                accounts[entry.author].map {
                    StoryTrayItem(
                        account: $0, storyCount: entry.count, unseenCount: entry.unseen, latestAt: Date(millisecondsSince1970: entry.latest),
                        closeFriends: entry.closeFriends)
                }
            },
            nextCursor: end < ordered.count ? String(end) : nil)
    }
}
