import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// The SQL of removing one account's posts, comments, reactions, shares, saves and collections,
/// and of taking it out of what others wrote. Every lookup goes through an index by account or
/// by post; lists of IDs are bound 500 at a time.
enum AuthorErasureStore {
    /// An erasure rewrites many posts, counters, reactions and saves in one transaction; the
    /// read caches hear it once, when it commits, rather than statement by statement.
    static func announceErasure(on db: any SQLDatabase) async throws {
        try await PostStore.announceChangesToMany(on: db)
        try await ReactionStore.announceChangesToMany(on: db)
    }

    static let chunk = 500

    /// Runs `body` on `ids` in slices small enough to bind.
    static func chunked<ID>(_ ids: [ID], _ body: ([ID]) async throws -> Void) async throws {
        for start in stride(from: 0, to: ids.count, by: chunk) {
            try await body(Array(ids[start..<min(start + chunk, ids.count)]))
        }
    }

    struct OwnPost: Decodable {
        var id: Int64
        var sharedPostId: Int64?
        var deletedAt: Int64?
    }

    static func posts(by account: AccountID, on db: any SQLDatabase) async throws -> [OwnPost] {
        try await db.raw("SELECT id, shared_post_id, deleted_at FROM posts WHERE author_id = \(bind: account.rawValue)")
            .all().map { try $0.decode(OwnPost.self) }
    }

    struct OwnComment: Decodable {
        var id: Int64
        var postId: Int64
        var parentId: Int64?
        var deletedAt: Int64?
    }

    static func comments(by account: AccountID, on db: any SQLDatabase) async throws -> [OwnComment] {
        try await db.raw("SELECT id, post_id, parent_id, deleted_at FROM comments WHERE author_id = \(bind: account.rawValue)")
            .all().map { try $0.decode(OwnComment.self) }
    }

    struct OwnReaction: Decodable {
        var targetType: String
        var targetId: Int64
        var kind: String
    }

    static func reactions(by account: AccountID, on db: any SQLDatabase) async throws -> [OwnReaction] {
        try await db.raw("SELECT target_type, target_id, kind FROM reactions WHERE account_id = \(bind: account.rawValue)")
            .all().map { try $0.decode(OwnReaction.self) }
    }

    /// Subtracts each row's deltas (column → amount) from its counters, in ID order, so that
    /// concurrent writers of the same rows take their locks in the same order.
    static func subtract(in table: String, _ deltas: [Int64: [String: Int]], on db: any SQLDatabase) async throws {
        for (id, columns) in deltas.sorted(by: { $0.key < $1.key }) {
            let assignments = columns.sorted { $0.key < $1.key }.map { column, delta in
                SQLQueryString("\(unsafeRaw: column) = \(unsafeRaw: column) - \(bind: delta)")
            }
            try await db.raw("UPDATE \(unsafeRaw: table) SET \(SQLList(assignments)) WHERE id = \(bind: id)").run()
        }
    }

    static func subtractReaction(_ reaction: OwnReaction, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE reaction_counts SET count = count - 1
            WHERE target_type = \(bind: reaction.targetType) AND target_id = \(bind: reaction.targetId) AND kind = \(bind: reaction.kind)
            """).run()
    }

    /// Shares rows the account holds for these originals (there is one per live share).
    static func sharedOriginals(_ originals: [Int64], by account: AccountID, on db: any SQLDatabase) async throws -> [Int64] {
        var found: [Int64] = []
        try await chunked(originals) { slice in
            found += try await db.raw("""
                SELECT original_id FROM shares WHERE account_id = \(bind: account.rawValue) AND original_id IN (\(binds: slice))
                """).all().map { try $0.decode(column: "original_id", as: Int64.self) }
        }
        return found
    }

    static func deleteShares(of originals: [Int64], by account: AccountID, on db: any SQLDatabase) async throws {
        try await chunked(originals) { slice in
            try await db.raw("DELETE FROM shares WHERE account_id = \(bind: account.rawValue) AND original_id IN (\(binds: slice))").run()
        }
    }

    /// Removes reactions on these targets and their counts.
    static func deleteReactions(on type: String, _ ids: [Int64], on db: any SQLDatabase) async throws {
        try await chunked(ids) { slice in
            try await db.raw("DELETE FROM reactions WHERE target_type = \(bind: type) AND target_id IN (\(binds: slice))").run()
            try await db.raw("DELETE FROM reaction_counts WHERE target_type = \(bind: type) AND target_id IN (\(binds: slice))").run()
        }
    }

    static func deleteReactions(by account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM reactions WHERE account_id = \(bind: account.rawValue)").run()
    }

    /// Turns comments into authorless placeholders, so replies by others keep their thread.
    static func blank(_ comments: [Int64], now: Int64, on db: any SQLDatabase) async throws {
        try await chunked(comments) { slice in
            try await db.raw("""
                UPDATE comments SET author_id = 0, text = '', mentions = '[]', reaction_count = 0, edited_at = NULL,
                    deleted_at = COALESCE(deleted_at, \(bind: now)), updated_at = \(bind: now)
                WHERE id IN (\(binds: slice))
                """).run()
            try await db.raw("DELETE FROM comment_mentions WHERE comment_id IN (\(binds: slice))").run()
        }
    }

    /// Deletes those of `comments` that nothing answers, repeatedly, so a chain of placeholders
    /// goes leaf by leaf; answers how many went.
    @discardableResult
    static func deleteUnanswered(_ comments: [Int64], on db: any SQLDatabase) async throws -> Int {
        var remaining = Set(comments)
        var deleted = 0
        while !remaining.isEmpty {
            var gone: [Int64] = []
            try await chunked(Array(remaining)) { slice in
                gone += try await db.raw("""
                    DELETE FROM comments WHERE id IN (\(binds: slice)) AND NOT EXISTS (
                        SELECT 1 FROM comments answer WHERE answer.thread_id = comments.thread_id
                            AND (answer.parent_id = comments.id OR answer.in_reply_to_id = comments.id))
                    RETURNING id
                    """).all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            if gone.isEmpty { break }
            deleted += gone.count
            remaining.subtract(gone)
        }
        return deleted
    }

    /// Everything that hangs off these posts, then the posts: their comments and every reaction on
    /// posts and comments, shares of them, others' saves and collection entries, media links,
    /// history and indexes.
    static func deletePosts(_ ids: [Int64], on db: any SQLDatabase) async throws {
        try await chunked(ids) { slice in
            let comments = try await db.raw("SELECT id FROM comments WHERE post_id IN (\(binds: slice))").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
            try await deleteReactions(on: "comment", comments, on: db)
            try await chunked(comments) { part in
                try await db.raw("DELETE FROM comment_mentions WHERE comment_id IN (\(binds: part))").run()
            }
            try await deleteReactions(on: "post", slice, on: db)
            try await db.raw("DELETE FROM comments WHERE post_id IN (\(binds: slice))").run()
            try await db.raw("DELETE FROM shares WHERE original_id IN (\(binds: slice))").run()
            for table in ["saves", "collection_posts", "post_media", "post_revisions", "post_hashtags", "post_mentions"] {
                try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE post_id IN (\(binds: slice))").run()
            }
            try await db.raw("DELETE FROM posts WHERE id IN (\(binds: slice))").run()
        }
    }

    static func deleteSavesAndCollections(of account: AccountID, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        try await db.raw("DELETE FROM collection_posts WHERE collection_id IN (SELECT id FROM collections WHERE owner_id = \(bind: id))").run()
        try await db.raw("DELETE FROM collections WHERE owner_id = \(bind: id)").run()
        try await db.raw("DELETE FROM saves WHERE account_id = \(bind: id)").run()
    }

    /// Takes the account out of the `mentions` copies of others' posts and comments (the text
    /// keeps its `@name`, which stays reserved) and out of both mention indexes.
    static func forgetMentions(of account: AccountID, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        for (table, index, key) in [("posts", "post_mentions", "post_id"), ("comments", "comment_mentions", "comment_id")] {
            let rows = try await db.raw("""
                SELECT t.id, t.mentions FROM \(unsafeRaw: table) t JOIN \(unsafeRaw: index) m ON m.\(unsafeRaw: key) = t.id
                WHERE m.account_id = \(bind: id)
                """).all()
            for row in rows {
                let mentions: [MentionedAccount] = JSONList.decode(try row.decode(column: "mentions", as: String.self))
                try await db.raw("""
                    UPDATE \(unsafeRaw: table) SET mentions = \(bind: JSONList.encode(mentions.filter { $0.id != account }))
                    WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))
                    """).run()
            }
            try await db.raw("DELETE FROM \(unsafeRaw: index) WHERE account_id = \(bind: id)").run()
        }
    }
}
