import EntativaCore
import EntativaModels
import SQLKit

/// Reads from the index: candidates only. Every hit is checked again by its own domain before
/// anyone sees it, so these queries only narrow (a stale audience can hide a post until it is
/// re-indexed, never show one).
enum MatchStore {
    /// What a post search narrows by, besides its terms.
    struct PostFilter: Sendable, Equatable {
        var takes: Bool
        var author: AccountID?
        var since: Int64?
        var until: Int64?
        var hasMedia: Bool?
        /// Anonymous searchers see only public posts; everyone else all but others' private notes.
        var viewer: AccountID?
        /// Made within this many kilometres of the point (the index narrows to a box; the
        /// caller measures).
        var within: (GeoPoint, Double)?

        static func == (a: PostFilter, b: PostFilter) -> Bool {
            (a.takes, a.author, a.since, a.until, a.hasMedia, a.viewer) == (b.takes, b.author, b.since, b.until, b.hasMedia, b.viewer)
                && a.within?.0 == b.within?.0 && a.within?.1 == b.within?.1
        }
    }

    struct PostCandidate: Sendable {
        var id: PostID
        var point: GeoPoint?
    }

    /// Posts matching `query` and `filter`, newest first, below `before`, with where they were made.
    static func posts(matching query: SearchQuery, filter: PostFilter, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostCandidate] {
        var conditions = SQLQueryString("p.is_take = \(bind: filter.takes) AND p.post_id < \(bind: before ?? .max)")
        if let author = filter.author { conditions += " AND p.author_id = \(bind: author.rawValue)" }
        if let since = filter.since { conditions += " AND p.created_at >= \(bind: since)" }
        if let until = filter.until { conditions += " AND p.created_at < \(bind: until)" }
        if let hasMedia = filter.hasMedia { conditions += " AND p.has_media = \(bind: hasMedia)" }
        if let viewer = filter.viewer {
            conditions += " AND (p.audience <> 'only_me' OR p.author_id = \(bind: viewer.rawValue))"
        } else {
            conditions += " AND p.audience = 'public'"
        }
        if let (centre, km) = filter.within {
            if IndexStore.isSQLite(db) {
                let box = GeoBox(around: centre, km: km)
                conditions += """
                     AND p.post_id IN (SELECT id FROM search_posts_rtree WHERE max_lat >= \(bind: box.minLat) AND min_lat <= \(bind: box.maxLat) \
                    AND max_lon >= \(bind: box.minLon) AND min_lon <= \(bind: box.maxLon))
                    """
            } else {
                conditions += """
                     AND ST_DWithin(p.geo, CAST(ST_SetSRID(ST_MakePoint(\(bind: centre.lon), \(bind: centre.lat)), 4326) AS geography), \(bind: km * 1000 * 1.01))
                    """
            }
        }
        let rows: [any SQLRow]
        if IndexStore.isSQLite(db) {
            rows = try await db.raw("""
                SELECT p.post_id, p.lat, p.lon FROM search_posts_fts f JOIN search_posts p ON p.post_id = f.rowid
                WHERE search_posts_fts MATCH \(bind: query.fts5) AND \(conditions)
                ORDER BY f.rowid DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await db.raw("""
                SELECT p.post_id, p.lat, p.lon FROM search_posts p WHERE p.document @@ CAST(\(bind: query.tsquery) AS tsquery) AND \(conditions)
                ORDER BY p.post_id DESC LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { row in
            let lat = try row.decode(column: "lat", as: Double?.self), lon = try row.decode(column: "lon", as: Double?.self)
            return PostCandidate(id: try row.decode(column: "post_id", as: PostID.self), point: lat.flatMap { lat in lon.map { GeoPoint(lat: lat, lon: $0) } })
        }
    }

    struct AccountMatch: Sendable, Equatable, Decodable {
        var id: AccountID
        var usernameKey: String
        var displayKey: String
        var followers: Int64

        private enum CodingKeys: String, CodingKey {
            case id = "accountId", usernameKey, displayKey, followers
        }
    }

    /// The most followed accounts matching `query`, at most `limit` (the caller ranks them).
    static func accounts(matching query: SearchQuery, limit: Int, on db: any SQLDatabase) async throws -> [AccountMatch] {
        let rows: [any SQLRow]
        if IndexStore.isSQLite(db) {
            rows = try await db.raw("""
                SELECT a.account_id, a.username_key, a.display_key, a.followers FROM search_accounts_fts f
                JOIN search_accounts a ON a.account_id = f.rowid
                WHERE search_accounts_fts MATCH \(bind: query.fts5) ORDER BY a.followers DESC, a.account_id LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await db.raw("""
                SELECT account_id, username_key, display_key, followers FROM search_accounts
                WHERE document @@ CAST(\(bind: query.tsquery) AS tsquery) ORDER BY followers DESC, account_id LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { try $0.decode(AccountMatch.self) }
    }

    /// The indexed account whose folded username is `key`, if any.
    static func account(usernameKey key: String, on db: any SQLDatabase) async throws -> AccountMatch? {
        try await db.raw("""
            SELECT account_id, username_key, display_key, followers FROM search_accounts WHERE username_key = \(bind: key) ORDER BY account_id LIMIT 1
            """).first()?.decode(AccountMatch.self)
    }

    struct HashtagRow: Sendable, Equatable, Decodable {
        var tag: String
        var name: String
        var publicUses: Int64
        var lastUsedAt: Int64
    }

    /// The public hashtags of `keys`, in no order.
    static func hashtags(_ keys: [String], on db: any SQLDatabase) async throws -> [HashtagRow] {
        guard !keys.isEmpty else { return [] }
        return try await db.raw("""
            SELECT tag, name, public_uses, last_used_at FROM search_hashtags WHERE tag IN (\(binds: keys)) AND public_uses > 0
            """).all().map { try $0.decode(HashtagRow.self) }
    }

    /// How many documents were indexed with each of `terms`; unknown terms are absent.
    static func documents(using terms: [String], on db: any SQLDatabase) async throws -> [String: Int64] {
        guard !terms.isEmpty else { return [:] }
        let rows = try await db.raw("SELECT term, docs FROM search_terms WHERE term IN (\(binds: terms))").all()
        return Dictionary(try rows.map { (try $0.decode(column: "term", as: String.self), try $0.decode(column: "docs", as: Int64.self)) }) { a, _ in a }
    }

    /// Vocabulary terms that may be one typo from `word`, with their document counts: a superset
    /// the caller narrows with `Typos.oneApart`.
    static func neighbourCandidates(of word: String, on db: any SQLDatabase) async throws -> [String: Int64] {
        let rows: [any SQLRow]
        if IndexStore.isSQLite(db) {
            rows = try await db.raw("""
                SELECT DISTINCT t.term, t.docs FROM search_term_variants v JOIN search_terms t ON t.term = v.term
                WHERE v.variant IN (\(binds: Typos.deletionVariants(of: word))) LIMIT 200
                """).all()
        } else {
            // pg_trgm's default threshold (0.3) admits every insertion, deletion and substitution
            // in words of five letters or more; a swap of two letters can fall below it, so the
            // swaps are asked for by name (docs/search.md, "Typos").
            let length = word.unicodeScalars.count
            rows = try await db.raw("""
                SELECT term, docs FROM search_terms WHERE term % \(bind: word) AND length(term) BETWEEN \(bind: length - 1) AND \(bind: length + 1)
                UNION SELECT term, docs FROM search_terms WHERE term IN (\(binds: [word] + Typos.transpositions(of: word)))
                LIMIT 200
                """).all()
        }
        return Dictionary(try rows.map { (try $0.decode(column: "term", as: String.self), try $0.decode(column: "docs", as: Int64.self)) }) { a, _ in a }
    }
}
