import EntativaCore
import SQLKit

struct CreatePostTables: SQLMigration {
    let name = "posts.0001_posts_comments_reactions_saves"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "posts")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("author_id", type: .bigint, .notNull)
            .column("text", type: .text, .notNull)
            .column("audience", type: .text, .notNull)
            .column("comment_policy", type: .text, .notNull)
            .column("location_name", type: .text)
            // REAL is 4 bytes on PostgreSQL: too coarse for coordinates, and tiny values underflow.
            .column("location_lat", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .column("location_lon", type: .custom(SQLRaw("DOUBLE PRECISION")))
            // A share points at the original, never at another share.
            .column("shared_post_id", type: .bigint)
            // Rendering copies of what post_hashtags and post_mentions index, so a page of posts
            // needs no join per post.
            .column("hashtags", type: .text, .notNull)
            .column("mentions", type: .text, .notNull)
            .column("reaction_count", type: .bigint, .notNull)
            .column("comment_count", type: .bigint, .notNull)
            .column("share_count", type: .bigint, .notNull)
            .column("edited_at", type: .bigint)
            .column("deleted_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "posts_author").on("posts").column("author_id").column("id").run()
        try await sql.create(index: "posts_shared").on("posts").column("shared_post_id").column("id").run()

        try await sql.create(table: "post_media")
            .column("post_id", type: .bigint, .notNull)
            .column("position", type: .int, .notNull)
            .column("media_id", type: .bigint, .notNull)
            .primaryKey("post_id", "position")
            .run()
        // Earlier versions of a post; the current one lives in `posts`.
        try await sql.create(table: "post_revisions")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("post_id", type: .bigint, .notNull)
            .column("text", type: .text, .notNull)
            .column("audience", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "post_revisions_post").on("post_revisions").column("post_id").column("id").run()
        try await sql.create(table: "post_hashtags")
            .column("tag", type: .text, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .primaryKey("tag", "post_id")
            .run()
        try await sql.create(index: "post_hashtags_post").on("post_hashtags").column("post_id").run()
        try await sql.create(table: "post_mentions")
            .column("account_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .primaryKey("account_id", "post_id")
            .run()
        try await sql.create(index: "post_mentions_post").on("post_mentions").column("post_id").run()

        try await sql.create(table: "comments")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("post_id", type: .bigint, .notNull)
            // The top-level comment of the thread (itself at the top level), to load a thread at once.
            .column("thread_id", type: .bigint, .notNull)
            .column("parent_id", type: .bigint)
            .column("in_reply_to_id", type: .bigint)
            .column("depth", type: .int, .notNull)
            .column("author_id", type: .bigint, .notNull)
            .column("text", type: .text, .notNull)
            .column("mentions", type: .text, .notNull)
            .column("reaction_count", type: .bigint, .notNull)
            .column("reply_count", type: .bigint, .notNull)
            .column("edited_at", type: .bigint)
            .column("deleted_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "comments_post").on("comments").column("post_id").column("depth").column("id").run()
        try await sql.create(index: "comments_thread").on("comments").column("thread_id").column("id").run()

        // Reactions on posts and on comments: one per account and target.
        try await sql.create(table: "reactions")
            .column("target_type", type: .text, .notNull)
            .column("target_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("kind", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("target_type", "target_id", "account_id")
            .run()
        try await sql.create(index: "reactions_newest").on("reactions").column("target_type").column("target_id").column("created_at").run()
        try await sql.create(table: "reaction_counts")
            .column("target_type", type: .text, .notNull)
            .column("target_id", type: .bigint, .notNull)
            .column("kind", type: .text, .notNull)
            .column("count", type: .bigint, .notNull)
            .primaryKey("target_type", "target_id", "kind")
            .run()

        // One share per account and original; the share itself is a post.
        try await sql.create(table: "shares")
            .column("original_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("share_id", type: .bigint, .notNull)
            .primaryKey("original_id", "account_id")
            .run()

        try await sql.create(table: "saves")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("account_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("account_id", "post_id")
            .run()
        try await sql.create(index: "saves_account").on("saves").column("account_id").column("id").run()
        try await sql.create(table: "collections")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("owner_id", type: .bigint, .notNull)
            .column("name", type: .text, .notNull)
            .column("name_key", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("owner_id", "name_key")
            .run()
        try await sql.create(table: "collection_posts")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("collection_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("collection_id", "post_id")
            .run()
        try await sql.create(index: "collection_posts_newest").on("collection_posts").column("collection_id").column("id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in [
            "collection_posts", "collections", "saves", "shares", "reaction_counts", "reactions", "comments", "post_mentions",
            "post_hashtags", "post_revisions", "post_media", "posts",
        ] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
