import EntativaCore
import EntativaModels
import SQLKit

enum PostSeedStore {
    struct ReactionCount: Hashable, Sendable {
        var post: PostID
        var kind: ReactionKind
    }

    static func insertPosts(_ posts: ArraySlice<SeededPost>) -> SQLQueryString {
        let rows: [SQLQueryString] = posts.map { post in
            """
            (\(bind: post.id.rawValue), \(bind: post.author.rawValue), \(bind: post.text), \(bind: post.audience.rawValue), 'everyone', \
            \(bind: post.sharedPostId?.rawValue), \(bind: JSONList.encode(post.hashtags)), '[]', \(bind: Int64(post.reactionCount)), \
            \(bind: Int64(post.commentCount)), \(bind: Int64(post.shareCount)), \(bind: post.createdAt), \(bind: post.createdAt))
            """
        }
        return """
            INSERT INTO posts (id, author_id, text, audience, comment_policy, shared_post_id, hashtags, mentions,
                reaction_count, comment_count, share_count, created_at, updated_at)
            VALUES \(rows.joined(separator: ", "))
            """
    }

    static func insertHashtags(_ tags: ArraySlice<(tag: String, post: PostID)>) -> SQLQueryString {
        let rows: [SQLQueryString] = tags.map { "(\(bind: $0.tag), \(bind: $0.post.rawValue))" }
        return "INSERT INTO post_hashtags (tag, post_id) VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING"
    }

    /// Integers only, spelled out.
    static func insertMedia(_ rows: ArraySlice<(post: PostID, position: Int, media: MediaID)>) -> SQLQueryString {
        let values = rows.map { "(\($0.post.rawValue), \($0.position), \($0.media.rawValue))" }.joined(separator: ", ")
        return "INSERT INTO post_media (post_id, position, media_id) VALUES \(unsafeRaw: values)"
    }

    static func insertShares(_ shares: ArraySlice<SeededPost>) -> SQLQueryString {
        let rows: [SQLQueryString] = shares.map { "(\(bind: $0.sharedPostId!.rawValue), \(bind: $0.author.rawValue), \(bind: $0.id.rawValue))" }
        return "INSERT INTO shares (original_id, account_id, share_id) VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING"
    }

    static func insertReactions(_ reactions: ArraySlice<SeededReaction>) -> SQLQueryString {
        let rows: [SQLQueryString] = reactions.map {
            "('post', \(bind: $0.post.rawValue), \(bind: $0.account.rawValue), \(bind: $0.kind.rawValue), \(bind: $0.createdAt))"
        }
        return """
            INSERT INTO reactions (target_type, target_id, account_id, kind, created_at) VALUES \(rows.joined(separator: ", "))
            ON CONFLICT DO NOTHING
            """
    }

    static func insertReactionCounts(_ counts: ArraySlice<(key: ReactionCount, value: Int)>) -> SQLQueryString {
        let rows: [SQLQueryString] = counts.map { "('post', \(bind: $0.key.post.rawValue), \(bind: $0.key.kind.rawValue), \(bind: Int64($0.value)))" }
        return "INSERT INTO reaction_counts (target_type, target_id, kind, count) VALUES \(rows.joined(separator: ", "))"
    }

    static func insertComments(_ comments: ArraySlice<SeededComment>) -> SQLQueryString {
        let rows: [SQLQueryString] = comments.map {
            """
            (\(bind: $0.id.rawValue), \(bind: $0.post.rawValue), \(bind: ($0.parent ?? $0.id).rawValue), \(bind: $0.parent?.rawValue), \
            \(bind: $0.parent?.rawValue), \(bind: $0.parent == nil ? 0 : 1), \(bind: $0.author.rawValue), \(bind: $0.text), '[]', 0, \
            \(bind: Int64($0.replyCount)), \(bind: $0.createdAt), \(bind: $0.createdAt))
            """
        }
        return """
            INSERT INTO comments (id, post_id, thread_id, parent_id, in_reply_to_id, depth, author_id, text, mentions,
                reaction_count, reply_count, created_at, updated_at)
            VALUES \(rows.joined(separator: ", "))
            """
    }
}
