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
        let rows = try await StoryStore.live(by: Array(sources) + [me], now: env.now, on: env.database.sql)
        let context = try await StoryAccess(env: env).context(for: rows, viewer: viewer)
        let visible = rows.filter(context.canSee)
        let seen = try await StoryStore.seen(by: me, among: visible.filter { $0.authorId != me }.map(\.id), on: env.database.sql)

        struct Entry {
            var account: Account
            var count = 0
            var unseen = 0
            var latest: Int64 = 0
            var closeFriends = false
        }
        var entries: [AccountID: Entry] = [:]
        for row in visible {
            guard let author = context.author(of: row) else { continue }
            var entry = entries[row.authorId] ?? Entry(account: author)
            entry.count += 1
            if row.authorId != me, !seen.contains(row.id) { entry.unseen += 1 }
            entry.latest = max(entry.latest, row.createdAt)
            entry.closeFriends = entry.closeFriends || row.audience == .closeFriends
            entries[row.authorId] = entry
        }
        let affinity = try await env.affinity.scores(of: me, with: Array(entries.keys))
        let ordered = entries.values.sorted { lhs, rhs in
            let key = { (entry: Entry) in (entry.account.id == me ? 0 : 1, entry.unseen > 0 ? 0 : 1) }
            if key(lhs) != key(rhs) { return key(lhs) < key(rhs) }
            let (left, right) = (affinity[lhs.account.id] ?? 0, affinity[rhs.account.id] ?? 0)
            if left != right { return left > right }
            if lhs.latest != rhs.latest { return lhs.latest > rhs.latest }
            return lhs.account.id.rawValue < rhs.account.id.rawValue
        }
        let start = min(Int(page.before ?? 0), ordered.count)
        let end = min(start + page.limit, ordered.count)
        return Page(
            items: ordered[start..<end].map {
                StoryTrayItem(
                    account: $0.account, storyCount: $0.count, unseenCount: $0.unseen, latestAt: Date(millisecondsSince1970: $0.latest),
                    closeFriends: $0.closeFriends)
            },
            nextCursor: end < ordered.count ? String(end) : nil)
    }
}
