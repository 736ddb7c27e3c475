import EntativaCore
import EntativaModels

/// A live post as a search index takes it in: what it says, what it is, who it is for.
public struct SearchablePost: Sendable, Equatable {
    public var id: PostID
    public var author: AccountID
    public var text: String
    /// Normalised hashtags and the usernames mentioned, as the post holds them.
    public var hashtags: [String]
    public var mentions: [String]
    public var audience: PostAudience
    public var hasMedia: Bool
    public var location: PostLocation?
    /// Milliseconds since 1970.
    public var createdAt: Int64
}

/// The posts domain's face for search: posts to index, and every live post a page at a time
/// for a re-index. Events carry no text, so an indexer re-reads the post and always indexes
/// what it says now, whatever order the events arrive in. Whether a hit may be shown is still
/// `HomePosts`' to say on every read.
public struct SearchablePosts: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    /// The live posts of `ids`, in the order of `ids`; deleted and unknown ones are left out.
    public func posts(_ ids: [PostID]) async throws -> [SearchablePost] {
        let rows = try await env.rows.inOrder(ids).filter { $0.deletedAt == nil }
        let media = try await env.rows.media(of: rows.map(\.id))
        return rows.map {
            SearchablePost(
                id: $0.id, author: $0.author, text: $0.text, hashtags: $0.hashtagList, mentions: $0.mentionList.map(\.username),
                audience: $0.audience, hasMedia: media[$0.id] != nil, location: $0.location, createdAt: $0.createdAt)
        }
    }

    /// Live posts with IDs above `after`, in ID order.
    public func ids(after: PostID?, limit: Int) async throws -> [PostID] {
        try await PostStore.liveIDs(after: after?.rawValue ?? 0, limit: limit, on: env.database.sql)
    }

    /// How many `ids` would list in all, for progress reports.
    public func count() async throws -> Int {
        try await PostStore.liveCount(on: env.database.sql)
    }
}
