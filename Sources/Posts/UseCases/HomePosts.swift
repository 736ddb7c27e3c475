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

    /// Live posts of any of `authors`, newest first, before `before`.
    public func newest(byAny authors: [AccountID], before: PostID?, limit: Int) async throws -> [PostReference] {
        try await PostStore.newest(byAny: authors, before: before?.rawValue, limit: limit, on: env.database.sql)
            .map { PostReference(id: $0.id, author: $0.author) }
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
        let rows = env.rows
        let scan = try await PostAccess(env: env).scan(viewer: viewer, limit: limit, onlyBy: authors) { (after: PostID?, count: Int) in
            try await rows.inOrder(try await fetch(after, count)).map { (key: $0.id, row: $0) }
        }
        return (try await PostRenderer(env: env).render(scan.rows, context: scan.context), scan.next)
    }
}
