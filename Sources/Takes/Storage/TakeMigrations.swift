import EntativaCore
import SQLKit

private let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))

/// Takes, the sounds they use, and who watched them.
struct CreateTakeTables: SQLMigration {
    let name = "takes.0001_takes"

    func prepare(sql: any SQLDatabase) async throws {
        // A Take is a post: its text, audience, media and engagement live in Posts; this row
        // keeps what only a Take has, and the counters its feed ranks by.
        try await sql.create(table: "takes")
            .column("post_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("author_id", type: .bigint, .notNull)
            .column("media_id", type: .bigint, .notNull)
            .column("duration_ms", type: .bigint, .notNull)
            .column("width", type: .int, .notNull)
            .column("height", type: .int, .notNull)
            .column("orientation", type: .text, .notNull)
            .column("cover_at_ms", type: .bigint, .notNull)
            .column("allow_remix", type: boolean, .notNull)
            .column("allow_duet", type: boolean, .notNull)
            .column("sound_id", type: .bigint)
            .column("sound_start_ms", type: .bigint)
            .column("template_id", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            // Set when its post is deleted; the row stays so a trend's origin keeps its credit.
            .column("deleted_at", type: .bigint)
            .column("view_count", type: .bigint, .notNull, .default(0))
            // Sums over counted views: the furthest point reached (in thousandths) and restarts.
            .column("completion_sum", type: .bigint, .notNull, .default(0))
            .column("rewatch_sum", type: .bigint, .notNull, .default(0))
            .column("watch_ms_sum", type: .bigint, .notNull, .default(0))
            .run()
        try await sql.create(index: "takes_author").on("takes").column("author_id").column("post_id").run()
        try await sql.create(index: "takes_sound").on("takes").column("sound_id").column("post_id").run()
        try await sql.create(index: "takes_template").on("takes").column("template_id").column("post_id").run()

        try await sql.create(table: "take_sounds")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("media_id", type: .bigint, .notNull)
            .column("creator_id", type: .bigint, .notNull)
            // The Take that brought it: others may reuse it while they may see that Take.
            .column("origin_take_id", type: .bigint, .notNull)
            .column("title", type: .text, .notNull)
            .column("duration_ms", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "take_sounds_creator").on("take_sounds").column("creator_id").run()

        // One row per viewer, Take and day: a view counts once a day.
        try await sql.create(table: "take_views")
            .column("take_id", type: .bigint, .notNull)
            .column("viewer_id", type: .bigint, .notNull)
            .column("day", type: .bigint, .notNull)
            .column("first_viewed_at", type: .bigint, .notNull)
            .column("watch_ms", type: .bigint, .notNull)
            .column("completion", type: .int, .notNull)
            .column("rewatches", type: .int, .notNull)
            .primaryKey("take_id", "viewer_id", "day")
            .run()
        // "Excludes seen" reads one viewer's views of a window of Takes.
        try await sql.create(index: "take_views_viewer").on("take_views").column("viewer_id").column("take_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["take_views", "take_sounds", "takes"] { try await sql.drop(table: table).ifExists().run() }
    }
}

/// Trends: what a Take joins by its hashtags, sound or template, who started each, and the
/// detection job's counts.
struct CreateTrendTables: SQLMigration {
    let name = "takes.0002_trends"

    func prepare(sql: any SQLDatabase) async throws {
        // Written once, by the first Take to use the key, and never updated: the originator
        // cannot move to a later Take, an edit, or a deleted-and-reposted one.
        try await sql.create(table: "take_trends")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            .column("key", type: .text, .notNull)
            .column("originator_id", type: .bigint, .notNull)
            .column("origin_take_id", type: .bigint, .notNull)
            .column("started_at", type: .bigint, .notNull)
            .unique("kind", "key")
            .run()
        try await sql.create(index: "take_trends_originator").on("take_trends").column("originator_id").run()

        try await sql.create(table: "take_trend_entries")
            .column("trend_id", type: .bigint, .notNull)
            .column("take_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("joined_at", type: .bigint, .notNull)
            .primaryKey("trend_id", "take_id")
            .run()
        try await sql.create(index: "take_trend_entries_take").on("take_trend_entries").column("take_id").run()
        try await sql.create(index: "take_trend_entries_time").on("take_trend_entries").column("trend_id").column("joined_at").run()
        try await sql.create(index: "take_trend_entries_account").on("take_trend_entries").column("account_id").run()

        try await sql.create(table: "take_trend_stats")
            .column("trend_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("computed_at", type: .bigint, .notNull)
            .column("participants", type: .bigint, .notNull)
            .column("takes", type: .bigint, .notNull)
            .column("joins_last_hour", type: .bigint, .notNull)
            .column("joins_previous_hour", type: .bigint, .notNull)
            .column("joins_last_day", type: .bigint, .notNull)
            .column("joins_previous_day", type: .bigint, .notNull)
            .column("growing", type: boolean, .notNull)
            .run()
        try await sql.create(index: "take_trend_stats_growing").on("take_trend_stats").column("growing").column("joins_last_day").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["take_trend_stats", "take_trend_entries", "take_trends"] { try await sql.drop(table: table).ifExists().run() }
    }
}

/// Templates and Behind-the-Takes.
struct CreateTemplateTables: SQLMigration {
    let name = "takes.0003_templates_and_btt"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "take_templates")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("creator_id", type: .bigint, .notNull)
            .column("name", type: .text, .notNull)
            .column("source_take_id", type: .bigint)
            .column("sound_id", type: .bigint)
            .column("sound_start_ms", type: .bigint)
            // Clips, transitions, effects, beat markers and overlays, as one JSON document: they
            // are read and written whole, never queried.
            .column("recipe", type: .text, .notNull)
            .column("duration_ms", type: .bigint, .notNull)
            .column("use_count", type: .bigint, .notNull, .default(0))
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "take_templates_creator").on("take_templates").column("creator_id").column("id").run()

        try await sql.create(table: "take_btt")
            .column("take_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("author_id", type: .bigint, .notNull)
            // Steps, equipment, software and tips as one JSON document, read and written whole.
            .column("content", type: .text, .notNull)
            .column("view_count", type: .bigint, .notNull, .default(0))
            .column("saved_count", type: .bigint, .notNull, .default(0))
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "take_btt_author").on("take_btt").column("author_id").run()
        try await sql.create(table: "take_btt_views")
            .column("take_id", type: .bigint, .notNull)
            .column("viewer_id", type: .bigint, .notNull)
            .primaryKey("take_id", "viewer_id")
            .run()
        try await sql.create(index: "take_btt_views_viewer").on("take_btt_views").column("viewer_id").run()
        try await sql.create(table: "take_btt_saves")
            .column("take_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("saved_at", type: .bigint, .notNull)
            .primaryKey("take_id", "account_id")
            .run()
        try await sql.create(index: "take_btt_saves_account").on("take_btt_saves").column("account_id").column("saved_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["take_btt_saves", "take_btt_views", "take_btt", "take_templates"] { try await sql.drop(table: table).ifExists().run() }
    }
}

/// Who ever joined each trend, and when first: only account erasure removes a row, so leaving
/// and rejoining (delete and repost, or toggling a hashtag) neither re-notifies the originator
/// nor counts as a new join.
struct CreateTrendParticipants: SQLMigration {
    let name = "takes.0004_trend_participants"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "take_trend_participants")
            .column("trend_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("first_joined_at", type: .bigint, .notNull)
            .primaryKey("trend_id", "account_id")
            .run()
        try await sql.create(index: "take_trend_participants_time").on("take_trend_participants").column("trend_id").column("first_joined_at").run()
        try await sql.create(index: "take_trend_participants_account").on("take_trend_participants").column("account_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "take_trend_participants").ifExists().run()
    }
}
