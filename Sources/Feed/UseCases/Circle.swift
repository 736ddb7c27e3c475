import EntativaCore
import EntativaModels
import Posts

/// Vignette's circle feed: the posts of my close friends and of the accounts I follow that follow
/// me back, newest first, through the posts' visibility rule, muted accounts left out. Read from
/// the authors' own posts (no entries), so it is exact however the circle changes.
struct Circle: Sendable {
    let env: FeedEnvironment

    func read(viewer: Principal, page: PageRequest) async throws -> Page<Post> {
        guard env.kernel.config.platform == .vignette else { throw AppError.notFound("route") }
        let circle = try await env.graph.circle(of: viewer.accountID)
        guard !circle.isEmpty else { return Page(items: [], nextCursor: nil) }
        let result = try await env.posts.page(viewer: viewer, limit: page.limit, authors: Set(circle)) { before, count in
            try await env.posts.newest(byAny: circle, before: before ?? page.before.map(PostID.init(rawValue:)), limit: count).map(\.id)
        }
        return Page(items: result.posts, nextCursor: result.next.map(\.description))
    }
}
