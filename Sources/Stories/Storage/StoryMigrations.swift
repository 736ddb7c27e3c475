import EntativaCore
import SQLKit

struct CreateStoryTables: SQLMigration {
    let name = "stories.0001_stories"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "stories")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("author_id", type: .bigint, .notNull)
            .column("caption", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            // Set by the sweep once the story has expired; null while it is in the tray.
            .column("archived_at", type: .bigint)
            .run()
        // The archive lists one owner's archived stories newest first.
        try await sql.create(index: "stories_author_archive").on("stories").column("author_id").column("archived_at").column("id").run()
        // The sweep finds what is still in a tray and due.
        try await sql.create(index: "stories_expiry").on("stories").column("archived_at").column("expires_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "stories").ifExists().run()
    }
}

/// What posting a story needs beyond the skeleton: its media, audience and reach base, the
/// hide-from list, and one view per viewer.
struct CreateStoryPosting: SQLMigration {
    let name = "stories.0002_posting"

    func prepare(sql: any SQLDatabase) async throws {
        // Nullable only because ALTER cannot fill rows the skeleton's tests wrote; every story
        // posted through the API has them.
        try await sql.raw("ALTER TABLE stories ADD COLUMN media_id BIGINT").run()
        try await sql.raw("ALTER TABLE stories ADD COLUMN audience TEXT NOT NULL DEFAULT 'public'").run()
        try await sql.raw("ALTER TABLE stories ADD COLUMN display_millis BIGINT NOT NULL DEFAULT 5000").run()
        // Followers (Vignette) or friends (Entativa) when it was posted: the denominator of reach.
        try await sql.raw("ALTER TABLE stories ADD COLUMN audience_size BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("ALTER TABLE stories ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0").run()
        // The tray reads the live stories of many authors at once.
        try await sql.create(index: "stories_author_live").on("stories").column("author_id").column("expires_at").run()

        try await sql.create(table: "story_hidden_from")
            .column("story_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .primaryKey("story_id", "account_id")
            .run()

        try await sql.create(table: "story_views")
            // Orders "seen by" newest first and is its cursor.
            .column("id", type: .bigint, .notNull)
            .column("story_id", type: .bigint, .notNull)
            .column("viewer_id", type: .bigint, .notNull)
            .column("viewed_at", type: .bigint, .notNull)
            .primaryKey("story_id", "viewer_id")
            .run()
        // "Seen by", newest first, and erasing a viewer's views.
        try await sql.create(index: "story_views_by_time").on("story_views").column("story_id").column("id").run()
        try await sql.create(index: "story_views_viewer").on("story_views").column("viewer_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "story_views").ifExists().run()
        try await sql.drop(table: "story_hidden_from").ifExists().run()
    }
}

/// What a story's insights count beyond first views: repeat views, taps and exits that clients
/// report, and replies.
struct CreateStoryInsights: SQLMigration {
    let name = "stories.0005_insights"

    func prepare(sql: any SQLDatabase) async throws {
        // Views by one viewer, first included, up to `StoryInsights.maxViewsPerViewer`.
        try await sql.raw("ALTER TABLE story_views ADD COLUMN times INTEGER NOT NULL DEFAULT 1").run()

        try await sql.create(table: "story_navigation")
            .column("story_id", type: .bigint, .notNull)
            .column("viewer_id", type: .bigint, .notNull)
            .column("action", type: .text, .notNull)
            .column("count", type: .int, .notNull)
            .primaryKey("story_id", "viewer_id", "action")
            .run()
        try await sql.create(index: "story_navigation_viewer").on("story_navigation").column("viewer_id").run()

        try await sql.create(table: "story_replies")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("story_id", type: .bigint, .notNull)
            .column("sender_id", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "story_replies_story").on("story_replies").column("story_id").run()
        try await sql.create(index: "story_replies_sender").on("story_replies").column("sender_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "story_replies").ifExists().run()
        try await sql.drop(table: "story_navigation").ifExists().run()
    }
}

/// A tray reads one viewer's views of the last day as one range: by viewer, then story ID.
struct IndexViewsByViewer: SQLMigration {
    let name = "stories.0006_views_by_viewer"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "story_views_viewer").run()
        try await sql.create(index: "story_views_viewer_story").on("story_views").column("viewer_id").column("story_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "story_views_viewer_story").run()
        try await sql.create(index: "story_views_viewer").on("story_views").column("viewer_id").run()
    }
}

/// Who gave a reshared answer, so the answer leaves the story when its author's account goes.
struct AddResharedFrom: SQLMigration {
    let name = "stories.0007_reshared_from"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.raw("ALTER TABLE stories ADD COLUMN reshared_from BIGINT").run()
        try await sql.create(index: "stories_reshared_from").on("stories").column("reshared_from").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(index: "stories_reshared_from").run()
        try await sql.raw("ALTER TABLE stories DROP COLUMN reshared_from").run()
    }
}
