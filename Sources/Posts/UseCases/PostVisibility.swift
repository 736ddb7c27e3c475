import EntativaCore
import EntativaModels
import SQLKit

/// The audience rule for domains above posts (notifications, feeds, search): which of some posts
/// and comments an account may see right now.
public struct PostVisibility: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    public func visiblePosts(_ ids: [PostID], to account: AccountID) async throws -> Set<PostID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await env.rows.find(Array(Set(ids)))
        let context = try await PostAccess(env: env).context(for: rows, viewer: Principal.ordinaryAccount(account), counts: false)
        return Set(rows.filter(context.canSee).map(\.id))
    }

    /// Comments that are live and under a post `account` may see.
    public func visibleComments(_ ids: [CommentID], to account: AccountID) async throws -> Set<CommentID> {
        var comments: [CommentRow] = []
        for id in Set(ids) {
            if let row = try await CommentStore.find(id, on: env.database.sql), row.deletedAt == nil { comments.append(row) }
        }
        let posts = try await visiblePosts(comments.map(\.postId), to: account)
        return Set(comments.filter { posts.contains($0.postId) }.map(\.id))
    }
}
