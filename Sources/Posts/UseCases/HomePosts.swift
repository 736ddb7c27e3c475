import EntativaCore
import EntativaModels

/// A post as a home timeline indexes it.
public struct PostReference: Sendable, Equatable {
    public var id: PostID
    public var author: AccountID

    public init(id: PostID, author: AccountID) {
        self.id = id
        self.author = author
    }
}

/// What a live post's fan-out needs to know: who wrote it and who may see it.
public struct PostStanding: Sendable, Equatable {
    public var author: AccountID
    public var audience: PostAudience
}

/// The posts domain's face for home timelines: candidate posts by author, a post's standing
/// for fan-out, and pages rendered through the one visibility rule. The feed keeps only post
/// IDs; whether a viewer may see each one is decided here on every read.
public struct HomePosts: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    /// Live posts of any of `authors`, newest first, before `before`. A few authors (the pulled
    /// ones a home merges in on every read) are answered from their recent-post windows when
    /// the page lies within them.
    public func newest(byAny authors: [AccountID], before: PostID?, limit: Int) async throws -> [PostReference] {
        if authors.count <= Self.authorsFromWindows, let found = try await fromWindows(authors, before: before, limit: limit) {
            return found
        }
        return try await PostStore.newest(byAny: authors, before: before?.rawValue, limit: limit, on: env.database.sql)
            .map { PostReference(id: $0.id, author: $0.author) }
    }

    /// Past this many authors one statement costs less than the window look-ups and the merge.
    /// Pulled authors are the few with the biggest audiences, so their windows stay cached;
    /// measured on a seeded 110,000-account network whose homes merge 49 pulled authors, the
    /// windows served 3,539 home pages a second and one statement 1,359 (docs/feed.md).
    static let authorsFromWindows = 256

    private func fromWindows(_ authors: [AccountID], before: PostID?, limit: Int) async throws -> [PostReference]? {
        var found: [PostReference] = []
        for author in Set(authors) {
            guard let ids = try await env.recentPosts.ids(by: author, before: before?.rawValue, limit: limit) else { return nil }
            found += ids.map { PostReference(id: $0, author: author) }
        }
        found.sort { $0.id > $1.id }
        return Array(found.prefix(limit))
    }

    /// Live public posts published since `since`, newest first, at or below `top`.
    public func newestPublic(since: Int64, atOrBelow top: PostID?, limit: Int) async throws -> [PostID] {
        try await PostStore.newestPublic(since: since, before: top.map { $0.rawValue == .max ? .max : $0.rawValue + 1 }, limit: limit, on: env.database.sql)
    }

    /// Hashtags whose use grew: (posts in the day before `now` + 1) ÷ (posts in the day before
    /// that + 1), for tags used at least `minimumUses` times in the last day, fastest first;
    /// counted over the newest 20,000 uses of any hashtag.
    public func growingHashtags(now: Int64, minimumUses: Int, limit: Int) async throws -> [(tag: String, growth: Double)] {
        let day: Int64 = 24 * 3_600_000
        let use = try await PostStore.hashtagUse(start: now - 2 * day, middle: now - day, window: 20_000, on: env.database.sql)
        var growing: [(tag: String, growth: Double)] = []
        for tag in use where tag.recent >= minimumUses && tag.recent > tag.previous {
            growing.append((tag.tag, Double(tag.recent + 1) / Double(tag.previous + 1)))
        }
        growing.sort { $0.growth != $1.growth ? $0.growth > $1.growth : $0.tag < $1.tag }
        return Array(growing.prefix(limit))
    }

    /// The newest posts using any of `tags` since `since`, at or below `top`, each with its tag
    /// (the newest use when a post has several); visibility is left to `visibleSignals`.
    public func newest(taggedWithAny tags: [String], since: Int64, atOrBelow top: PostID?, limit: Int) async throws -> [(post: PostID, tag: String)] {
        try await PostStore.newest(taggedWithAny: tags, since: since, atOrBelow: top?.rawValue ?? .max, limit: limit, on: env.database.sql)
            .map { (post: $0.0, tag: $0.1) }
    }

    /// Nil when the post is deleted or gone.
    public func standing(of id: PostID) async throws -> PostStanding? {
        guard let row = try await env.rows.find(id), row.deletedAt == nil else { return nil }
        return PostStanding(author: row.author, audience: row.audience)
    }

    /// One page of posts `viewer` may see, newest first, from candidates `fetch` supplies (IDs
    /// before the given one, newest first, at most `count`; fewer means no more). Posts by
    /// anyone outside `authors` are skipped. The cursor is the last candidate looked at, so a
    /// batch of hidden posts never ends the scan early.
    public func page(
        viewer: Principal, limit: Int, authors: Set<AccountID>,
        fetch: @escaping @Sendable (_ before: PostID?, _ count: Int) async throws -> [PostID]
    ) async throws -> (posts: [Post], next: PostID?) {
        let scan = try await visibleRows(viewer: viewer, limit: limit, authors: authors, fetch: fetch)
        return (try await PostRenderer(env: env).render(scan.rows, context: scan.context), scan.next)
    }

    private func visibleRows(
        viewer: Principal, limit: Int, authors: Set<AccountID>,
        fetch: @escaping @Sendable (_ before: PostID?, _ count: Int) async throws -> [PostID]
    ) async throws -> (rows: [PostRow], context: PostAccess.Context, next: PostID?) {
        let rows = env.rows
        return try await PostAccess(env: env).scan(viewer: viewer, limit: limit, onlyBy: authors) { (after: PostID?, count: Int) in
            try await rows.inOrder(try await fetch(after, count)).map { (key: $0.id, row: $0) }
        }
    }
}

/// What ranking a post needs to know, from the cached row: when, by whom, and its counters.
public struct PostSignals: Sendable, Equatable {
    public var id: PostID
    public var author: AccountID
    /// Milliseconds since 1970.
    public var createdAt: Int64
    public var reactions: Int
    public var comments: Int
    public var shares: Int
    public var kind: PostKind

    public init(id: PostID, author: AccountID, createdAt: Int64, reactions: Int, comments: Int, shares: Int, kind: PostKind) {
        (self.id, self.author, self.createdAt) = (id, author, createdAt)
        (self.reactions, self.comments, self.shares, self.kind) = (reactions, comments, shares, kind)
    }
}

/// What a post is, as rankers tell posts apart: a share of another post, a post with media, or text.
public enum PostKind: Int, Sendable, CaseIterable {
    case text = 0
    case media = 1
    case share = 2
}

extension HomePosts {
    /// Up to `limit` posts `viewer` may see, newest first, from candidates `fetch` supplies (as
    /// for `page`), with their signals and without rendering them: rankers score many and show
    /// a few. The cursor is the last candidate looked at, for the next window.
    public func visibleSignals(
        viewer: Principal, limit: Int, authors: Set<AccountID>,
        fetch: @escaping @Sendable (_ before: PostID?, _ count: Int) async throws -> [PostID]
    ) async throws -> (posts: [PostSignals], next: PostID?) {
        let scan = try await visibleRows(viewer: viewer, limit: limit, authors: authors, fetch: fetch)
        return (try await signals(of: scan.rows), scan.next)
    }

    /// The signals of the posts of `ids` that `viewer` may see, in the order of `ids`.
    public func visibleSignals(of ids: [PostID], viewer: Principal?) async throws -> [PostSignals] {
        let rows = try await env.rows.inOrder(ids)
        let context = try await PostAccess(env: env).context(for: rows, viewer: viewer, counts: false)
        return try await signals(of: rows.filter { context.canSee($0) })
    }

    /// The current signals of the live posts of `ids`, in the order of `ids`, without asking
    /// whether anyone may see them: for a ranker re-scoring posts it found visible earlier,
    /// whose page then goes through `render`, which asks.
    public func signals(of ids: [PostID]) async throws -> [PostSignals] {
        try await signals(of: try await env.rows.inOrder(ids).filter { $0.deletedAt == nil })
    }

    private func signals(of rows: [PostRow]) async throws -> [PostSignals] {
        let media = try await env.rows.media(of: rows.map(\.id))
        return rows.map {
            PostSignals(
                id: $0.id, author: $0.author, createdAt: $0.createdAt, reactions: Int($0.reactionCount), comments: Int($0.commentCount),
                shares: Int($0.shareCount), kind: $0.original != nil ? .share : media[$0.id] != nil ? .media : .text)
        }
    }

    /// The posts of `ids` that `viewer` may see, rendered, in the order of `ids`.
    public func render(_ ids: [PostID], viewer: Principal?) async throws -> [Post] {
        let rows = try await env.rows.inOrder(ids)
        let context = try await PostAccess(env: env).context(for: rows, viewer: viewer)
        return try await PostRenderer(env: env).render(rows.filter { context.canSee($0) }, context: context)
    }
}
