import EntativaCore
import EntativaModels
import Posts

/// Reads a home timeline: the reader's pushed entries merged with the newest posts of the
/// authors readers pull, newest first, through the posts' visibility rule. Where the entries end
/// (older than any push or backfill), the page goes on from the authors' own posts, so paging
/// reaches back to the first post of everyone followed; there is no cap.
public struct HomeTimeline: Sendable {
    let env: FeedEnvironment

    public init(env: FeedEnvironment) { self.env = env }

    public func read(viewer: Principal, order: HomeOrder, page: PageRequest) async throws -> Page<Post> {
        let me = viewer.accountID
        let sources = try await env.graph.sources(of: me)
        let sizes = try await env.graph.audienceSizes(of: sources)
        let threshold = env.settings.fanOutThreshold
        let pulled = sources.filter { (sizes[$0] ?? 0) >= threshold }
        let everyone = sources + [me]
        let (database, posts) = (env.database, env.posts)

        let result = try await posts.page(viewer: viewer, limit: page.limit, authors: Set(everyone)) { before, count in
            let start = before ?? page.before.map(PostID.init(rawValue:))
            let pushed = try await HomeEntryStore.page(of: me, before: start, limit: count, on: database.sql)
            var candidates = pushed
            if pushed.count < count {
                candidates += try await posts.newest(byAny: everyone, before: start, limit: count)
            } else if !pulled.isEmpty {
                candidates += try await posts.newest(byAny: pulled, before: start, limit: count)
            }
            let newestFirst = Set(candidates.map(\.id)).sorted(by: >)
            return Array(newestFirst.prefix(count))
        }
        return Page(items: result.posts, nextCursor: result.next.map(\.description))
    }
}
