import EntativaCore
import EntativaModels
import Foundation
import Identity
import SQLKit

/// What posts does when an account is deleted. Its posts go with everything under them (others'
/// comments, reactions, shares and saves of them); its comments under others' posts go, or stay
/// as authorless placeholders while others' replies hang under them; its reactions, shares, saves
/// and collections go; it leaves the mention lists of others' posts and comments. Counters of
/// others' posts and comments lose what it added. One transaction, so a retried job finds nothing
/// left to do; each removed post is announced as `PostDeleted`, so notifications (and later feeds
/// and search) drop what hangs off it.
struct AuthorErasure: Sendable {
    let env: PostsEnvironment

    func subscribe() {
        let erasure = self
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "posts.account_deleted") { event, _ in
            try await erasure.forget(event.accountId)
        }
    }

    func forget(_ account: AccountID) async throws {
        let env = self.env
        try await env.database.transaction { db in
            let posts = try await AuthorErasureStore.posts(by: account, on: db)
            let own = Set(posts.map(\.id))
            let comments = try await AuthorErasureStore.comments(by: account, on: db).filter { !own.contains($0.postId) }
            let reactions = try await AuthorErasureStore.reactions(by: account, on: db)
            let originals = posts.filter { $0.deletedAt == nil }.compactMap(\.sharedPostId).filter { !own.contains($0) }
            let shared = try await AuthorErasureStore.sharedOriginals(originals, by: account, on: db)

            // Others' counters first: posts, then comments, then per-kind counts, the order in
            // which reactions and comments lock them.
            var postDeltas: [Int64: [String: Int]] = [:]
            var commentDeltas: [Int64: [String: Int]] = [:]
            for original in shared { postDeltas[original, default: [:]]["share_count", default: 0] += 1 }
            for comment in comments where comment.deletedAt == nil {
                postDeltas[comment.postId, default: [:]]["comment_count", default: 0] += 1
                if let parent = comment.parentId { commentDeltas[parent, default: [:]]["reply_count", default: 0] += 1 }
            }
            for reaction in reactions {
                if reaction.targetType == ReactionStore.Target.post.rawValue {
                    postDeltas[reaction.targetId, default: [:]]["reaction_count", default: 0] += 1
                } else {
                    commentDeltas[reaction.targetId, default: [:]]["reaction_count", default: 0] += 1
                }
            }
            try await AuthorErasureStore.subtract(in: "posts", postDeltas, on: db)
            try await AuthorErasureStore.subtract(in: "comments", commentDeltas, on: db)
            for reaction in reactions { try await AuthorErasureStore.subtractReaction(reaction, on: db) }

            let commentIDs = comments.map(\.id)
            try await AuthorErasureStore.deleteReactions(on: ReactionStore.Target.comment.rawValue, commentIDs, on: db)
            try await AuthorErasureStore.blank(commentIDs, now: env.now, on: db)
            try await AuthorErasureStore.deleteUnanswered(commentIDs, on: db)
            try await AuthorErasureStore.deleteShares(of: shared, by: account, on: db)
            try await AuthorErasureStore.deleteReactions(by: account, on: db)
            try await AuthorErasureStore.forgetMentions(of: account, on: db)
            try await AuthorErasureStore.deleteSavesAndCollections(of: account, on: db)
            try await AuthorErasureStore.deletePosts(Array(own).sorted(), on: db)
            try await AuthorErasureStore.announceErasure(on: db)
            for post in posts {
                try await env.kernel.events.publish(PostDeleted(postId: PostID(rawValue: post.id), authorId: account), on: db)
            }
        }
    }
}
