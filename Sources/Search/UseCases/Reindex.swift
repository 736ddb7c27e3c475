import EntativaCore
import EntativaModels

/// `entativa admin search reindex`: brings every document in line with its source, a batch at
/// a time, while the server keeps serving (the index is never emptied). First every account and
/// live post the sources list, then every document the index holds, so what was deleted while
/// events were lost leaves it too.
public struct Reindex: Sendable {
    let env: SearchEnvironment
    static let batch = 200

    public init(env: SearchEnvironment) { self.env = env }

    public struct Summary: Sendable, Equatable {
        public var accounts: Int
        public var posts: Int
    }

    /// `progress` gets the fraction done, from 0 to 1.
    public func run(progress: @Sendable (Double) -> Void) async throws -> Summary {
        let indexer = Indexer(env: env)
        let db = env.database.sql
        let accountCount = try await env.directory.count()
        let postCount = try await env.searchablePosts.count()
        let total = Double(max(1, 2 * (accountCount + postCount)))
        var done = 0
        var summary = Summary(accounts: 0, posts: 0)

        var lastAccount: AccountID?
        while case let ids = try await env.directory.ids(after: lastAccount, limit: Self.batch), let last = ids.last {
            try await indexer.indexAccounts(ids)
            (lastAccount, summary.accounts, done) = (last, summary.accounts + ids.count, done + ids.count)
            progress(Double(done) / total)
        }
        var lastPost: PostID?
        while case let ids = try await env.searchablePosts.ids(after: lastPost, limit: Self.batch), let last = ids.last {
            try await indexer.indexPosts(ids)
            (lastPost, summary.posts, done) = (last, summary.posts + ids.count, done + ids.count)
            progress(Double(done) / total)
        }
        // What the index holds and its sources no longer list leaves; the rest was just written.
        var indexedAccount: Int64 = 0
        while case let ids = try await IndexStore.accountIDs(after: indexedAccount, limit: Self.batch, on: db), let last = ids.last {
            let live = Set(try await env.profiles.accounts(ids, viewer: nil, counts: false).map(\.id))
            try await indexer.indexAccounts(ids.filter { !live.contains($0) })
            (indexedAccount, done) = (last.rawValue, done + ids.count)
            progress(min(1, Double(done) / total))
        }
        var indexedPost: Int64 = 0
        while case let ids = try await IndexStore.postIDs(after: indexedPost, limit: Self.batch, on: db), let last = ids.last {
            let live = Set(try await env.searchablePosts.posts(ids).map(\.id))
            try await indexer.indexPosts(ids.filter { !live.contains($0) })
            (indexedPost, done) = (last.rawValue, done + ids.count)
            progress(min(1, Double(done) / total))
        }
        progress(1)
        return summary
    }
}
