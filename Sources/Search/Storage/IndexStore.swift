import EntativaCore
import EntativaModels
import SQLKit

/// Writes to the index: documents with their terms (FTS5 rows or tsvectors), the vocabulary and
/// its typo variants, and public hashtag uses.
enum IndexStore {
    struct AccountDocument: Sendable {
        var id: AccountID
        var usernameKey: String
        var displayKey: String
        var followers: Int
        var terms: [String]
    }

    struct PostDocument: Sendable {
        var id: PostID
        var author: AccountID
        var isTake: Bool
        var audience: String
        var hasMedia: Bool
        var createdAt: Int64
        var terms: [String]
    }

    static func isSQLite(_ db: any SQLDatabase) -> Bool { db.dialect.name == "sqlite" }

    /// Writes the account's row and terms; the answer says whether it was new to the index.
    @discardableResult
    static func put(_ account: AccountDocument, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let previous = try await filing(of: account.id, on: db)
        let existed = previous != nil
        let document = isSQLite(db) ? SQLQueryString("") : SQLQueryString(", document = CAST(\(bind: tsvector(account.terms)) AS tsvector)")
        if existed {
            try await db.raw("""
                UPDATE search_accounts SET username_key = \(bind: account.usernameKey), display_key = \(bind: account.displayKey),
                    followers = \(bind: account.followers), indexed_at = \(bind: now)\(document)
                WHERE account_id = \(bind: account.id.rawValue)
                """).run()
        } else {
            try await db.raw("""
                INSERT INTO search_accounts (account_id, username_key, display_key, followers, indexed_at)
                VALUES (\(bind: account.id.rawValue), \(bind: account.usernameKey), \(bind: account.displayKey), \(bind: account.followers), \(bind: now))
                """).run()
            if !isSQLite(db) {
                try await db.raw("""
                    UPDATE search_accounts SET document = CAST(\(bind: tsvector(account.terms)) AS tsvector) WHERE account_id = \(bind: account.id.rawValue)
                    """).run()
            }
        }
        if isSQLite(db) {
            try await replaceFTS("search_accounts_fts", rowid: account.id.rawValue, terms: account.terms, existed: existed, on: db)
        }
        let filing = PrefixStore.Filing(
            prefixes: Prefixes.of(Prefixes.accountKeys(usernameKey: account.usernameKey, displayKey: account.displayKey)),
            score: Prefixes.bucket(Int64(account.followers)))
        try await PrefixStore.refile(.account, entity: account.id.description, from: previous, to: filing, on: db)
        return !existed
    }

    static func removeAccount(_ id: AccountID, on db: any SQLDatabase) async throws {
        let previous = try await filing(of: id, on: db)
        try await PrefixStore.refile(.account, entity: id.description, from: previous, to: nil, on: db)
        try await db.raw("DELETE FROM search_accounts WHERE account_id = \(bind: id.rawValue)").run()
        if isSQLite(db) { try await db.raw("DELETE FROM search_accounts_fts WHERE rowid = \(bind: id.rawValue)").run() }
    }

    /// Where autocomplete has the indexed account filed, from its row; nil when it is not indexed.
    private static func filing(of id: AccountID, on db: any SQLDatabase) async throws -> PrefixStore.Filing? {
        guard let row = try await db.raw("""
            SELECT username_key, display_key, followers FROM search_accounts WHERE account_id = \(bind: id.rawValue)
            """).first()
        else { return nil }
        let keys = Prefixes.accountKeys(usernameKey: try row.decode(column: "username_key", as: String.self), displayKey: try row.decode(column: "display_key", as: String.self))
        return PrefixStore.Filing(prefixes: Prefixes.of(keys), score: Prefixes.bucket(try row.decode(column: "followers", as: Int64.self)))
    }

    /// Writes the post's row and terms; the answer says whether it was new to the index.
    @discardableResult
    static func put(_ post: PostDocument, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let existed = try await db.raw("SELECT 1 AS found FROM search_posts WHERE post_id = \(bind: post.id.rawValue)").first() != nil
        if existed {
            try await db.raw("""
                UPDATE search_posts SET is_take = \(bind: post.isTake), audience = \(bind: post.audience), has_media = \(bind: post.hasMedia),
                    indexed_at = \(bind: now) WHERE post_id = \(bind: post.id.rawValue)
                """).run()
        } else {
            try await db.raw("""
                INSERT INTO search_posts (post_id, author_id, is_take, audience, has_media, created_at, indexed_at)
                VALUES (\(bind: post.id.rawValue), \(bind: post.author.rawValue), \(bind: post.isTake), \(bind: post.audience),
                    \(bind: post.hasMedia), \(bind: post.createdAt), \(bind: now))
                """).run()
        }
        if isSQLite(db) {
            try await replaceFTS("search_posts_fts", rowid: post.id.rawValue, terms: post.terms, existed: existed, on: db)
        } else {
            try await db.raw("""
                UPDATE search_posts SET document = CAST(\(bind: tsvector(post.terms)) AS tsvector) WHERE post_id = \(bind: post.id.rawValue)
                """).run()
        }
        return !existed
    }

    static func removePost(_ id: PostID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM search_posts WHERE post_id = \(bind: id.rawValue)").run()
        if isSQLite(db) { try await db.raw("DELETE FROM search_posts_fts WHERE rowid = \(bind: id.rawValue)").run() }
    }

    /// The indexed posts of `author`, for erasing an account.
    static func posts(by author: AccountID, on db: any SQLDatabase) async throws -> [PostID] {
        try await db.raw("SELECT post_id FROM search_posts WHERE author_id = \(bind: author.rawValue)").all()
            .map { try $0.decode(column: "post_id", as: PostID.self) }
    }

    struct AccountKeys: Sendable, Equatable {
        var id: AccountID
        var keys: [String]
        var followers: Int64
    }

    /// The names autocomplete matches indexed accounts by.
    static func accountKeys(_ ids: [AccountID], on db: any SQLDatabase) async throws -> [AccountKeys] {
        var found: [AccountKeys] = []
        for chunk in ids.map(\.rawValue).chunked(500) {
            found += try await db.raw("""
                SELECT account_id, username_key, display_key, followers FROM search_accounts WHERE account_id IN (\(binds: Array(chunk)))
                """).all().map {
                    AccountKeys(
                        id: try $0.decode(column: "account_id", as: AccountID.self),
                        keys: Prefixes.accountKeys(
                            usernameKey: try $0.decode(column: "username_key", as: String.self), displayKey: try $0.decode(column: "display_key", as: String.self)),
                        followers: try $0.decode(column: "followers", as: Int64.self))
                }
        }
        return found
    }

    /// Indexed accounts and posts by ID, for a re-index to re-check what its sources no longer list.
    static func accountIDs(after: Int64, limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("SELECT account_id FROM search_accounts WHERE account_id > \(bind: after) ORDER BY account_id LIMIT \(bind: limit)").all()
            .map { try $0.decode(column: "account_id", as: AccountID.self) }
    }

    static func postIDs(after: Int64, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await db.raw("SELECT post_id FROM search_posts WHERE post_id > \(bind: after) ORDER BY post_id LIMIT \(bind: limit)").all()
            .map { try $0.decode(column: "post_id", as: PostID.self) }
    }

    private static func replaceFTS(_ table: String, rowid: Int64, terms: [String], existed: Bool, on db: any SQLDatabase) async throws {
        if existed { try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE rowid = \(bind: rowid)").run() }
        guard !terms.isEmpty else { return }
        try await db.raw("INSERT INTO \(unsafeRaw: table) (rowid, terms) VALUES (\(bind: rowid), \(bind: terms.joined(separator: " ")))").run()
    }

    static func tsvector(_ terms: [String]) -> String {
        terms.map(SearchQuery.lexeme).joined(separator: " ")
    }

    /// Counts one more document for each of `terms`, and files new typo-eligible terms under
    /// their deletion variants (SQLite; PostgreSQL's trigram index follows the table itself).
    static func count(_ terms: [String], on db: any SQLDatabase) async throws {
        var new: [String] = []
        for start in stride(from: 0, to: terms.count, by: chunk) {
            var query = SQLQueryString("INSERT INTO search_terms (term, docs) VALUES ")
            for (index, term) in terms[start..<min(start + chunk, terms.count)].enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                query.appendInterpolation(bind: term)
                query.appendInterpolation(unsafeRaw: ", 1)")
            }
            query.appendInterpolation(unsafeRaw: " ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + 1 RETURNING term, docs")
            new += try await db.raw(query).all().compactMap { row -> String? in
                try row.decode(column: "docs", as: Int64.self) == 1 ? try row.decode(column: "term", as: String.self) : nil
            }
        }
        try await BulkIndexStore.fileVariants(of: new, on: db)
    }

    /// Rows per multi-row statement: well inside both engines' limits on bound values.
    private static let chunk = 200

    // MARK: Hashtags

    /// Records that public post `post` by `account` uses `tags` (folded key and display name);
    /// tags it no longer uses are taken back.
    static func setPublicHashtags(
        _ tags: [(key: String, name: String)], of post: PostID, by account: AccountID, at time: Int64, on db: any SQLDatabase
    ) async throws {
        let current = try await db.raw("SELECT tag FROM search_hashtag_uses WHERE post_id = \(bind: post.rawValue)").all()
            .map { try $0.decode(column: "tag", as: String.self) }
        let wanted = Set(tags.map(\.key))
        for gone in current where !wanted.contains(gone) {
            // Only the job that took the use back lowers the count (two may race on PostgreSQL).
            guard try await db.raw("""
                DELETE FROM search_hashtag_uses WHERE tag = \(bind: gone) AND post_id = \(bind: post.rawValue) RETURNING tag
                """).first() != nil else { continue }
            let uses = try await db.raw("""
                UPDATE search_hashtags SET public_uses = public_uses - 1 WHERE tag = \(bind: gone) RETURNING public_uses
                """).first()?.decode(column: "public_uses", as: Int64.self)
            if let uses { try await refileHashtag(gone, from: uses + 1, to: uses, on: db) }
        }
        for tag in tags where !current.contains(tag.key) {
            guard try await db.raw("""
                INSERT INTO search_hashtag_uses (tag, post_id, account_id, used_at)
                VALUES (\(bind: tag.key), \(bind: post.rawValue), \(bind: account.rawValue), \(bind: time))
                ON CONFLICT DO NOTHING RETURNING tag
                """).first() != nil else { continue }
            let uses = try await db.raw("""
                INSERT INTO search_hashtags (tag, name, public_uses, last_used_at) VALUES (\(bind: tag.key), \(bind: tag.name), 1, \(bind: time))
                ON CONFLICT (tag) DO UPDATE SET public_uses = search_hashtags.public_uses + 1,
                    last_used_at = CASE WHEN search_hashtags.last_used_at > excluded.last_used_at THEN search_hashtags.last_used_at ELSE excluded.last_used_at END
                RETURNING public_uses
                """).first()?.decode(column: "public_uses", as: Int64.self) ?? 1
            try await refileHashtag(tag.key, from: uses - 1, to: uses, on: db)
        }
    }

    /// Autocomplete lists a hashtag while a public post uses it, under its uses' bucket.
    private static func refileHashtag(_ tag: String, from old: Int64, to new: Int64, on db: any SQLDatabase) async throws {
        let prefixes = Prefixes.of([tag])
        try await PrefixStore.refile(
            .hashtag, entity: tag, from: old > 0 ? PrefixStore.Filing(prefixes: prefixes, score: Prefixes.bucket(old)) : nil,
            to: new > 0 ? PrefixStore.Filing(prefixes: prefixes, score: Prefixes.bucket(new)) : nil, on: db)
    }

    static func removeHashtagUses(of post: PostID, on db: any SQLDatabase) async throws {
        try await setPublicHashtags([], of: post, by: AccountID(rawValue: 0), at: 0, on: db)
    }
}
