import EntativaCore
import EntativaModels

/// The newest live post IDs of each author, in every audience, kept in memory so the first
/// pages of a profile cost no statement. Publishing, deleting and erasing announce the author
/// (`PostStore.announceLivePostsChange`), which drops the window here and in every other
/// instance. The window holds IDs only: the rows come from `PostRows`, and whether each may be
/// shown is decided on the current row (its audience, its deletion), so a window can at worst
/// miss a post, never show one it should not.
struct AuthorRecentPosts: Sendable {
    /// Three pages of the default size; older pages are read from the database.
    static let windowSize = 60

    private struct Window: Sendable {
        var ids: [PostID]
        /// Whether `ids` are all the author's live posts, so nothing older exists.
        var complete: Bool
    }

    private let cache: SharedCache<AccountID, Window>
    private let database: AppDatabase
    private let rows: PostRows

    init(database: AppDatabase, rows: PostRows) {
        cache = .registered(
            PostStore.recentCacheName, invalidation: database.invalidation, capacity: 50_000, lifetime: .seconds(300),
            key: { AccountID($0) })
        self.database = database
        self.rows = rows
    }

    private func window(of author: AccountID) async throws -> Window? {
        let database = self.database
        return try await cache.value(for: author) {
            let ids = try await PostStore.newest(
                by: author, audiences: PostAudience.allCases, before: nil, limit: Self.windowSize + 1, on: database.sql)
            return Window(ids: Array(ids.prefix(Self.windowSize)), complete: ids.count <= Self.windowSize)
        }
    }

    /// The IDs of the author's live posts in any audience, newest first, before `before`: up
    /// to `limit`, or nil when the window cannot tell (the page reaches past it).
    func ids(by author: AccountID, before: Int64?, limit: Int) async throws -> [PostID]? {
        guard let window = try await window(of: author) else { return nil }
        var candidates = window.ids[...]
        if let before { candidates = candidates.drop { $0.rawValue >= before } }
        guard candidates.count >= limit || window.complete else { return nil }
        return Array(candidates.prefix(limit))
    }

    /// The author's live posts in `audiences`, newest first, before `before`: up to `limit`
    /// rows, or nil when the window cannot tell (the page reaches past it).
    func page(by author: AccountID, audiences: Set<PostAudience>, before: Int64?, limit: Int) async throws -> [PostRow]? {
        guard let window = try await window(of: author) else { return nil }
        var candidates = window.ids[...]
        if let before { candidates = candidates.drop { $0.rawValue >= before } }
        var found: [PostRow] = []
        // Most viewers see most of an author's posts: look up a page's worth at a time.
        while found.count < limit, !candidates.isEmpty {
            let chunk = Array(candidates.prefix(limit - found.count))
            candidates = candidates.dropFirst(chunk.count)
            found += try await rows.inOrder(chunk).filter { $0.deletedAt == nil && audiences.contains($0.audience) }
        }
        return found.count >= limit || window.complete ? Array(found.prefix(limit)) : nil
    }
}
