import EntativaCore
import SQLKit

struct CreateHomeEntries: SQLMigration {
    let name = "feed.0001_home_entries"

    func prepare(sql: any SQLDatabase) async throws {
        // One row per post pushed into one account's home. The author is kept so unfollows,
        // mutes and blocks can take an author's posts out without asking the posts domain.
        try await sql.create(table: "home_entries")
            .column("account_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("author_id", type: .bigint, .notNull)
            .primaryKey("account_id", "post_id")
            .run()
        try await sql.create(index: "home_entries_author").on("home_entries").column("account_id").column("author_id").run()
        try await sql.create(index: "home_entries_post").on("home_entries").column("post_id").run()
        try await sql.create(index: "home_entries_by_author").on("home_entries").column("author_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "home_entries").ifExists().run()
    }
}

struct CreateInteractions: SQLMigration {
    let name = "feed.0002_interactions"

    func prepare(sql: any SQLDatabase) async throws {
        // One row per interaction event (a reaction, a comment, a reply, a share), keyed by the
        // event's ID so a retried consumer writes nothing twice; affinity is summed from them.
        try await sql.create(table: "feed_interactions")
            .column("event_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("viewer_id", type: .bigint, .notNull)
            .column("author_id", type: .bigint, .notNull)
            .column("weight", type: .int, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "feed_interactions_viewer").on("feed_interactions").column("viewer_id").column("created_at").run()
        try await sql.create(index: "feed_interactions_author").on("feed_interactions").column("author_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "feed_interactions").ifExists().run()
    }
}

struct CreateImpressions: SQLMigration {
    let name = "feed.0003_impressions"

    func prepare(sql: any SQLDatabase) async throws {
        // The first time a post was shown to an account, with the model's features as they were
        // then (so training sees what ranking saw) and when the account engaged with it, if it did.
        try await sql.create(table: "feed_impressions")
            .column("account_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("author_id", type: .bigint, .notNull)
            .column("kind", type: .int, .notNull)
            .column("shown_at", type: .bigint, .notNull)
            .column("dwell_ms", type: .bigint)
            .column("affinity", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("age", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("velocity", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("kind_rate", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("engaged_at", type: .bigint)
            .primaryKey("account_id", "post_id")
            .run()
        try await sql.create(index: "feed_impressions_shown").on("feed_impressions").column("shown_at").run()
        try await sql.create(index: "feed_impressions_account_kind").on("feed_impressions").column("account_id").column("kind").column("shown_at").run()
        try await sql.create(index: "feed_impressions_author").on("feed_impressions").column("author_id").run()
        try await sql.create(index: "feed_impressions_post").on("feed_impressions").column("post_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "feed_impressions").ifExists().run()
    }
}

struct CreateModels: SQLMigration {
    let name = "feed.0004_models"

    func prepare(sql: any SQLDatabase) async throws {
        // Every trained engagement model, newest version used; kept for comparing versions.
        try await sql.create(table: "feed_models")
            .column("version", type: .bigint, .primaryKey(autoIncrement: false))
            .column("trained_at", type: .bigint, .notNull)
            .column("weights", type: .text, .notNull)
            .column("auc", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("training_samples", type: .bigint, .notNull)
            .column("held_out_samples", type: .bigint, .notNull)
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "feed_models").ifExists().run()
    }
}

struct CreateHomeGaps: SQLMigration {
    let name = "feed.0005_home_gaps"

    func prepare(sql: any SQLDatabase) async throws {
        // A back-fill copies an author's newest posts only: older ones are missing from the
        // reader's entries, and the home read pulls them from below `below_post_id`.
        try await sql.create(table: "home_gaps")
            .column("account_id", type: .bigint, .notNull)
            .column("author_id", type: .bigint, .notNull)
            .column("below_post_id", type: .bigint, .notNull)
            .primaryKey("account_id", "author_id")
            .run()
        try await sql.create(index: "home_gaps_author").on("home_gaps").column("author_id").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "home_gaps").ifExists().run()
    }
}

struct ClusterHomeEntries: SQLMigration {
    let name = "feed.0006_cluster_home_entries"

    // A home page reads an account's newest entries with their authors. Kept in a rowid table
    // (SQLite) or a heap (PostgreSQL), each of a page's rows was one more random page read
    // beside the primary key's, which on a home table of millions of rows was a third of a
    // home read's time. SQLite now keeps the rows in the primary key's order (WITHOUT ROWID),
    // and PostgreSQL's primary key carries the author, so the page is one index range scan.
    func prepare(sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await rebuild(withoutRowID: true, sql: sql)
        } else {
            try await sql.raw("ALTER TABLE home_entries DROP CONSTRAINT home_entries_pkey").run()
            try await sql.raw("ALTER TABLE home_entries ADD PRIMARY KEY (account_id, post_id) INCLUDE (author_id)").run()
        }
    }

    func revert(sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await rebuild(withoutRowID: false, sql: sql)
        } else {
            try await sql.raw("ALTER TABLE home_entries DROP CONSTRAINT home_entries_pkey").run()
            try await sql.raw("ALTER TABLE home_entries ADD PRIMARY KEY (account_id, post_id)").run()
        }
    }

    private func rebuild(withoutRowID: Bool, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE TABLE home_entries_rebuilt (
                account_id BIGINT NOT NULL, post_id BIGINT NOT NULL, author_id BIGINT NOT NULL,
                PRIMARY KEY (account_id, post_id)
            )\(unsafeRaw: withoutRowID ? " WITHOUT ROWID" : "")
            """).run()
        try await sql.raw("INSERT INTO home_entries_rebuilt SELECT account_id, post_id, author_id FROM home_entries").run()
        try await sql.raw("DROP TABLE home_entries").run()
        try await sql.raw("ALTER TABLE home_entries_rebuilt RENAME TO home_entries").run()
        try await sql.create(index: "home_entries_author").on("home_entries").column("account_id").column("author_id").run()
        try await sql.create(index: "home_entries_post").on("home_entries").column("post_id").run()
        try await sql.create(index: "home_entries_by_author").on("home_entries").column("author_id").run()
    }
}

struct CreatePullStates: SQLMigration {
    let name = "feed.0007_pull_states"

    func prepare(sql: any SQLDatabase) async throws {
        // Authors whose posts readers pull rather than receive: `pull_below_post_id` NULL while
        // fan-out skips them; once it pushes them again, their posts below that ID (published
        // while they were pulled, in nobody's entries) are still pulled.
        try await sql.create(table: "feed_pull_states")
            .column("author_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("pull_below_post_id", type: .bigint)
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "feed_pull_states").ifExists().run()
    }
}
