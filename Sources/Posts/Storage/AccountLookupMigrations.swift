import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// What deleting an account must find by account (or by post) without scanning a table: its
/// reactions and comments, others' saves and collection entries of its posts, and comments that
/// mention it, through a `comment_mentions` index like `post_mentions`. Filled from the comments'
/// JSON. Soft-deleted posts and comments lose their `mentions` copy, as they lose their index rows
/// when deleted: a copy the index cannot find would keep the account's ID after its deletion.
struct AddAccountLookups: SQLMigration {
    let name = "posts.0002_account_lookups"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "comment_mentions")
            .column("account_id", type: .bigint, .notNull)
            .column("comment_id", type: .bigint, .notNull)
            .primaryKey("account_id", "comment_id")
            .run()
        try await sql.create(index: "comment_mentions_comment").on("comment_mentions").column("comment_id").run()
        try await sql.create(index: "reactions_account").on("reactions").column("account_id").run()
        try await sql.create(index: "comments_author").on("comments").column("author_id").run()
        try await sql.create(index: "saves_post").on("saves").column("post_id").run()
        try await sql.create(index: "collection_posts_post").on("collection_posts").column("post_id").run()
        try await Self.backfill(on: sql)
    }

    /// Clears the mention copies of soft-deleted posts and comments and indexes the live comments'
    /// mentions, a thousand comments at a time.
    static func backfill(on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE posts SET mentions = '[]' WHERE deleted_at IS NOT NULL AND mentions <> '[]'").run()
        try await sql.raw("UPDATE comments SET mentions = '[]' WHERE deleted_at IS NOT NULL AND mentions <> '[]'").run()
        var after: Int64 = 0
        while true {
            let rows = try await sql.raw("""
                SELECT id, mentions FROM comments WHERE id > \(bind: after) AND mentions <> '[]' ORDER BY id LIMIT 1000
                """).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: Int64.self)
            for row in rows {
                let mentions: [MentionedAccount] = JSONList.decode(try row.decode(column: "mentions", as: String.self))
                try await CommentStore.indexMentions(CommentID(rawValue: try row.decode(column: "id", as: Int64.self)), mentions, on: sql)
            }
        }
    }

    func revert(sql: any SQLDatabase) async throws {
        for index in ["collection_posts_post", "saves_post", "comments_author", "reactions_account"] {
            try await sql.drop(index: index).run()
        }
        try await sql.drop(table: "comment_mentions").ifExists().run()
    }
}
