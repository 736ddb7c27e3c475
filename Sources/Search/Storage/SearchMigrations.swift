import EntativaCore
import SQLKit

private let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))

/// What the index knows of accounts, posts and hashtags besides their terms: enough to filter
/// and rank candidates before Identity and Posts decide, on every read, who may see them.
struct CreateSearchTables: SQLMigration {
    let name = "search.0001_tables"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "search_accounts")
            .column("account_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("username_key", type: .text, .notNull)
            .column("display_key", type: .text, .notNull)
            .column("followers", type: .bigint, .notNull)
            .column("indexed_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "search_accounts_username").on("search_accounts").column("username_key").run()
        try await sql.create(table: "search_posts")
            .column("post_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("author_id", type: .bigint, .notNull)
            .column("is_take", type: boolean, .notNull)
            .column("audience", type: .text, .notNull)
            .column("has_media", type: boolean, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("indexed_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "search_posts_author").on("search_posts").column("author_id").column("post_id").run()
        // The vocabulary typo tolerance draws neighbours from, with how many documents were
        // indexed with each term: a popularity, only ever raised (docs/search.md, "Typos").
        try await sql.create(table: "search_terms")
            .column("term", type: .text, .primaryKey(autoIncrement: false))
            .column("docs", type: .bigint, .notNull)
            .run()
        // Hashtags counted over public posts by public accounts only: a count must not reveal
        // that a followers-only post used a tag.
        try await sql.create(table: "search_hashtags")
            .column("tag", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("public_uses", type: .bigint, .notNull)
            .column("last_used_at", type: .bigint, .notNull)
            .run()
        try await sql.create(table: "search_hashtag_uses")
            .column("tag", type: .text, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("account_id", type: .bigint, .notNull)
            .column("used_at", type: .bigint, .notNull)
            .primaryKey("tag", "post_id")
            .run()
        try await sql.create(index: "search_hashtag_uses_post").on("search_hashtag_uses").column("post_id").run()
        try await sql.create(index: "search_hashtag_uses_time").on("search_hashtag_uses").column("used_at").run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["search_hashtag_uses", "search_hashtags", "search_terms", "search_posts", "search_accounts"] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}

/// The full-text index. SQLite: contentless FTS5 tables whose rowids are the account and post
/// IDs, fed the analyser's terms (the tokenizer keeps `#`, `@` and `_` inside terms). PostgreSQL:
/// a tsvector of the same terms, built with a cast rather than `to_tsvector`, whose parser would
/// split `#coffee` and stem words the analyser kept whole: the `simple` behaviour, on both.
struct CreateSearchTextIndex: SQLMigration {
    let name = "search.0002_text_index"

    func prepare(sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for table in ["search_posts_fts", "search_accounts_fts"] {
                try await sql.raw("""
                    CREATE VIRTUAL TABLE \(unsafeRaw: table) USING fts5(terms, content='', contentless_delete=1,
                    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*' tokenchars '#@_'", prefix='2 3')
                    """).run()
            }
        } else {
            for table in ["search_posts", "search_accounts"] {
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) ADD COLUMN document tsvector NOT NULL DEFAULT ''").run()
                try await sql.raw("CREATE INDEX \(unsafeRaw: table)_document ON \(unsafeRaw: table) USING GIN (document)").run()
            }
        }
    }

    func revert(sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.drop(table: "search_posts_fts").ifExists().run()
            try await sql.drop(table: "search_accounts_fts").ifExists().run()
        } else {
            for table in ["search_posts", "search_accounts"] {
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) DROP COLUMN document").run()
            }
        }
    }
}

/// Typo tolerance draws neighbours of a word from the vocabulary. PostgreSQL: pg_trgm's
/// similarity over an index of the terms. SQLite (no spellfix, extensions cannot load): each
/// term under every one-letter deletion of it, so two words one edit apart always share a
/// variant and the look-up is one B-tree probe per variant (docs/search.md, "Typos").
struct CreateSearchFuzzyIndex: SQLMigration {
    let name = "search.0003_fuzzy"

    func prepare(sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TABLE search_term_variants (variant TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (variant, term)) WITHOUT ROWID
                """).run()
        } else {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX search_terms_trigrams ON search_terms USING GIN (term gin_trgm_ops)").run()
        }
    }

    func revert(sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.drop(table: "search_term_variants").ifExists().run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS search_terms_trigrams").run()
        }
    }
}

/// Autocomplete's edge n-grams: every prefix of an account's names and of a public hashtag,
/// under the entity's popularity bucket, so a keystroke is one range of one primary key read
/// backwards (docs/search.md, "Autocomplete").
struct CreateSearchPrefixes: SQLMigration {
    let name = "search.0004_prefixes"

    func prepare(sql: any SQLDatabase) async throws {
        let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE search_prefixes (
                prefix TEXT NOT NULL, kind SMALLINT NOT NULL, score BIGINT NOT NULL, entity TEXT NOT NULL,
                PRIMARY KEY (prefix, kind, score, entity)
            )\(unsafeRaw: withoutRowID)
            """).run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "search_prefixes").ifExists().run()
    }
}

/// The newest trending-hashtags snapshot the trends job computed.
struct CreateSearchTrends: SQLMigration {
    let name = "search.0005_trends"

    func prepare(sql: any SQLDatabase) async throws {
        let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "search_trends")
            .column("computed_at", type: .bigint, .notNull)
            .column("rank", type: .int, .notNull)
            .column("tag", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("uses", type: .bigint, .notNull)
            .column("accounts", type: .bigint, .notNull)
            .column("previous_uses", type: .bigint, .notNull)
            .column("growth_percent", type: double, .notNull)
            .column("score", type: double, .notNull)
            .primaryKey("computed_at", "rank")
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        try await sql.drop(table: "search_trends").ifExists().run()
    }
}

/// What each account searched (unless it opted out), and per-day query counts for administrators.
struct CreateSearchHistory: SQLMigration {
    let name = "search.0006_history"

    func prepare(sql: any SQLDatabase) async throws {
        try await sql.create(table: "search_history")
            .column("account_id", type: .bigint, .notNull)
            .column("id", type: .bigint, .notNull)
            .column("query", type: .text, .notNull)
            .column("query_key", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("account_id", "id")
            .run()
        try await sql.create(table: "search_history_optouts")
            .column("account_id", type: .bigint, .primaryKey(autoIncrement: false))
            .run()
        try await sql.create(table: "search_query_stats")
            .column("day", type: .bigint, .notNull)
            .column("query_key", type: .text, .notNull)
            .column("searches", type: .bigint, .notNull)
            .column("zero_results", type: .bigint, .notNull)
            .primaryKey("day", "query_key")
            .run()
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["search_query_stats", "search_history_optouts", "search_history"] { try await sql.drop(table: table).ifExists().run() }
    }
}

/// Places: named locations from public posts, and where posts were made. SQLite: R*Tree tables
/// of points (a box of zero size) for the bounding-box part of a radius search. PostgreSQL:
/// PostGIS geography points with GiST indexes, which answer radius and nearest-first themselves.
struct CreateSearchPlaces: SQLMigration {
    let name = "search.0007_places"

    func prepare(sql: any SQLDatabase) async throws {
        let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
        try await sql.create(table: "search_places")
            .column("place_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("name_key", type: .text, .notNull)
            // A place is a folded name within a cell of about 100 m (coordinates to 3 decimals).
            .column("cell", type: .text, .notNull)
            .column("lat", type: double, .notNull)
            .column("lon", type: double, .notNull)
            .column("public_uses", type: .bigint, .notNull)
            .unique("name_key", "cell")
            .run()
        try await sql.create(table: "search_place_uses")
            .column("post_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("place_id", type: .bigint, .notNull)
            .run()
        try await sql.raw("ALTER TABLE search_posts ADD COLUMN lat DOUBLE PRECISION").run()
        try await sql.raw("ALTER TABLE search_posts ADD COLUMN lon DOUBLE PRECISION").run()
        if sql.dialect.name == "sqlite" {
            for table in ["search_places_rtree", "search_posts_rtree"] {
                try await sql.raw("CREATE VIRTUAL TABLE \(unsafeRaw: table) USING rtree(id, min_lat, max_lat, min_lon, max_lon)").run()
            }
        } else {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS postgis").run()
            for table in ["search_places", "search_posts"] {
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) ADD COLUMN geo geography(Point, 4326)").run()
                try await sql.raw("CREATE INDEX \(unsafeRaw: table)_geo ON \(unsafeRaw: table) USING GIST (geo)").run()
            }
        }
    }

    func revert(sql: any SQLDatabase) async throws {
        for table in ["search_place_uses", "search_places", "search_places_rtree", "search_posts_rtree"] { try await sql.drop(table: table).ifExists().run() }
    }
}
