import EntativaCore
import EntativaModels
import Foundation

/// Lists of posts: a profile's, a hashtag's, and those mentioning me.
public struct Timelines: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    /// One author's posts: the viewer's audiences are known up front, so the query filters them.
    /// A private account's posts are refused (403) to whoever reaches none of its audiences, the
    /// same rule as its follower lists: the account is visible, its content is not.
    public func profile(_ id: AccountID, viewer: Principal?, page: PageRequest) async throws -> Page<Post> {
        let author = try await env.profiles.account(id, viewer: viewer)
        let connections = try await env.connections.of(viewer?.accountID, with: [id])
        let context = PostAccess.Context(viewer: viewer, authors: [id: author], connections: connections)
        let audiences = PostAudience.allCases.filter { context.reaches($0, of: author) }
        guard !audiences.isEmpty else {
            if author.isPrivate { throw AppError.forbidden("This account is private; only its followers see its posts.") }
            return Page(items: [], nextCursor: nil)
        }
        let rows: [PostRow]
        if let recent = try await env.recentPosts.page(by: id, audiences: Set(audiences), before: page.before, limit: page.limit + 1) {
            rows = recent
        } else {
            rows = try await env.rows.inOrder(try await PostStore.newest(
                by: id, audiences: audiences, before: page.before, limit: page.limit + 1, on: env.database.sql))
        }
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.id) }
        return Page(items: try await PostRenderer(env: env).render(shown, context: context), nextCursor: next)
    }

    public func hashtag(_ name: String, viewer: Principal?, page: PageRequest) async throws -> Page<Post> {
        let tag = PostText.normalise(name.removingPercentEncoding ?? name)
        guard PostText(scanning: "#" + tag).hashtags == [tag] else { throw AppError.notFound("hashtag") }
        let (db, rows) = (env.database.sql, env.rows)
        let scan = try await PostAccess(env: env).scan(viewer: viewer, limit: page.limit) { after, count in
            try await rows.inOrder(try await PostStore.newest(taggedWith: tag, before: after ?? page.before, limit: count, on: db))
                .map { (key: $0.id.rawValue, row: $0) }
        }
        return Page(items: try await PostRenderer(env: env).render(scan.rows, context: scan.context), nextCursor: scan.next.map(String.init))
    }

    /// Posts that mention the caller and that the caller may see.
    public func mentions(of caller: Principal, page: PageRequest) async throws -> Page<Post> {
        let (db, rows) = (env.database.sql, env.rows)
        let scan = try await PostAccess(env: env).scan(viewer: caller, limit: page.limit) { after, count in
            try await rows.inOrder(try await PostStore.newest(mentioning: caller.accountID, before: after ?? page.before, limit: count, on: db))
                .map { (key: $0.id.rawValue, row: $0) }
        }
        return Page(items: try await PostRenderer(env: env).render(scan.rows, context: scan.context), nextCursor: scan.next.map(String.init))
    }
}
