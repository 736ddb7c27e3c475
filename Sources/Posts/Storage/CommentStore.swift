import EntativaCore
import EntativaModels
import Foundation
import SQLKit

struct CommentRow: Decodable, Sendable {
    var id: CommentID
    var postId: PostID
    var threadId: CommentID
    var parentId: CommentID?
    var inReplyToId: CommentID?
    var depth: Int
    var authorId: AccountID
    var text: String
    var mentions: String
    var reactionCount: Int64
    var replyCount: Int64
    var editedAt: Int64?
    var deletedAt: Int64?
    var createdAt: Int64

    var mentionList: [MentionedAccount] { JSONList.decode(mentions) }
}

enum CommentStore {
    static let maxDepth = 5

    static func find(_ id: CommentID, on db: any SQLDatabase, lock: String = "") async throws -> CommentRow? {
        try await db.raw("SELECT * FROM comments WHERE id = \(bind: id.rawValue)\(unsafeRaw: lock)").first()?.decode(CommentRow.self)
    }

    static func insert(_ row: CommentRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO comments (id, post_id, thread_id, parent_id, in_reply_to_id, depth, author_id, text, mentions,
                reaction_count, reply_count, created_at, updated_at)
            VALUES (\(bind: row.id), \(bind: row.postId), \(bind: row.threadId), \(bind: row.parentId), \(bind: row.inReplyToId),
                \(bind: row.depth), \(bind: row.authorId), \(bind: row.text), \(bind: row.mentions), 0, 0, \(bind: row.createdAt),
                \(bind: row.createdAt))
            """).run()
        try await indexMentions(row.id, row.mentionList, on: db)
    }

    /// Replaces the comment's rows in `comment_mentions`, the index that finds every comment
    /// naming an account (for that account's deletion) the way `post_mentions` does for posts.
    static func indexMentions(_ id: CommentID, _ mentions: [MentionedAccount], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM comment_mentions WHERE comment_id = \(bind: id.rawValue)").run()
        for account in Set(mentions.map(\.id)) {
            try await db.raw("""
                INSERT INTO comment_mentions (account_id, comment_id) VALUES (\(bind: account.rawValue), \(bind: id.rawValue))
                """).run()
        }
    }

    static func updateText(_ id: CommentID, text: String, mentions: [MentionedAccount], now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE comments SET text = \(bind: text), mentions = \(bind: JSONList.encode(mentions)), edited_at = \(bind: now),
                updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await indexMentions(id, mentions, on: db)
    }

    /// The text stays for moderation; the mentions go from the copy and the index alike, so no
    /// copy of an account's ID is left that its deletion could not find.
    static func markDeleted(_ id: CommentID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE comments SET deleted_at = \(bind: now), mentions = '[]', updated_at = \(bind: now) WHERE id = \(bind: id.rawValue)
            """).run()
        try await indexMentions(id, [], on: db)
    }

    static func bump(_ column: String, of id: CommentID, by delta: Int, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE comments SET \(unsafeRaw: column) = \(unsafeRaw: column) + \(bind: delta) WHERE id = \(bind: id.rawValue)").run()
    }

    /// Top-level comments of a post in `order`, after `cursor`. Deleted ones come too: they stay
    /// as placeholders while they have replies.
    static func topLevel(of post: PostID, order: CommentOrder, after cursor: CommentCursor?, limit: Int, on db: any SQLDatabase) async throws -> [CommentRow] {
        switch order {
        case .newest:
            return try await db.raw("""
                SELECT * FROM comments WHERE post_id = \(bind: post.rawValue) AND depth = 1 AND id < \(bind: cursor?.id ?? Int64.max)
                ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map { try $0.decode(CommentRow.self) }
        case .top:
            let score = cursor?.score ?? Int64.max
            let id = cursor?.id ?? Int64.max
            return try await db.raw("""
                SELECT * FROM comments WHERE post_id = \(bind: post.rawValue) AND depth = 1
                  AND (reaction_count + reply_count < \(bind: score) OR (reaction_count + reply_count = \(bind: score) AND id < \(bind: id)))
                ORDER BY reaction_count + reply_count DESC, id DESC LIMIT \(bind: limit)
                """).all().map { try $0.decode(CommentRow.self) }
        }
    }

    /// Every reply in the given threads, oldest first, up to `limit`.
    static func replies(inThreads threads: [CommentID], limit: Int, on db: any SQLDatabase) async throws -> [CommentRow] {
        guard !threads.isEmpty else { return [] }
        return try await db.raw("""
            SELECT * FROM comments WHERE thread_id IN (\(binds: threads.map(\.rawValue))) AND depth > 1 ORDER BY id LIMIT \(bind: limit)
            """).all().map { try $0.decode(CommentRow.self) }
    }
}

/// A position in a comment list: the ID for newest-first, `<score>-<id>` for top-first.
struct CommentCursor: Sendable {
    var score: Int64?
    var id: Int64

    init?(_ text: String, order: CommentOrder) {
        switch order {
        case .newest:
            guard let id = OutsideInteger.parse(text, in: OutsideInteger.positive) else { return nil }
            self.id = id
        case .top:
            guard let position = KeysetCursor(text) else { return nil }
            self.score = position.first
            self.id = position.second
        }
    }

    static func text(for row: CommentRow, order: CommentOrder) -> String {
        order == .newest ? row.id.description : KeysetCursor(row.reactionCount + row.replyCount, row.id.rawValue).text
    }
}
