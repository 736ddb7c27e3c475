import EntativaCore
import SQLKit

/// Multi-row writes of many new documents at once, for seeding an empty index.
enum BulkIndexStore {
    /// Rows per statement: well inside both engines' limits on bound values.
    static let rowsPerStatement = 400

    static func insertAccounts(_ documents: [IndexStore.AccountDocument], now: Int64, on db: any SQLDatabase) async throws {
        let sqlite = IndexStore.isSQLite(db)
        for chunk in documents.chunked(rowsPerStatement) {
            var query = SQLQueryString("INSERT INTO search_accounts (account_id, username_key, display_key, followers, indexed_at\(unsafeRaw: sqlite ? "" : ", document")) VALUES ")
            for (index, document) in chunk.enumerated() {
                query += index == 0 ? "(" : ", ("
                query += "\(bind: document.id.rawValue), \(bind: document.usernameKey), \(bind: document.displayKey), \(bind: document.followers), \(bind: now)"
                if !sqlite { query += ", CAST(\(bind: IndexStore.tsvector(document.terms)) AS tsvector)" }
                query += ")"
            }
            try await db.raw(query).run()
            if sqlite { try await insertFTS("search_accounts_fts", chunk.map { ($0.id.rawValue, $0.terms) }, on: db) }
        }
    }

    static func insertPosts(_ documents: [IndexStore.PostDocument], now: Int64, on db: any SQLDatabase) async throws {
        let sqlite = IndexStore.isSQLite(db)
        for chunk in documents.chunked(rowsPerStatement) {
            var query = SQLQueryString("""
                INSERT INTO search_posts (post_id, author_id, is_take, audience, has_media, created_at, indexed_at\(unsafeRaw: sqlite ? "" : ", document")) VALUES 
                """)
            for (index, document) in chunk.enumerated() {
                query += index == 0 ? "(" : ", ("
                query += """
                    \(bind: document.id.rawValue), \(bind: document.author.rawValue), \(bind: document.isTake), \(bind: document.audience), \
                    \(bind: document.hasMedia), \(bind: document.createdAt), \(bind: now)
                    """
                if !sqlite { query += ", CAST(\(bind: IndexStore.tsvector(document.terms)) AS tsvector)" }
                query += ")"
            }
            try await db.raw(query).run()
            if sqlite { try await insertFTS("search_posts_fts", chunk.map { ($0.id.rawValue, $0.terms) }, on: db) }
        }
    }

    private static func insertFTS(_ table: String, _ rows: [(Int64, [String])], on db: any SQLDatabase) async throws {
        let rows = rows.filter { !$0.1.isEmpty }
        guard !rows.isEmpty else { return }
        var query = SQLQueryString("INSERT INTO \(unsafeRaw: table) (rowid, terms) VALUES ")
        for (index, row) in rows.enumerated() {
            query += index == 0 ? "(" : ", ("
            query += "\(bind: row.0), \(bind: row.1.joined(separator: " ")))"
        }
        try await db.raw(query).run()
    }

    static func insertPrefixes(_ kind: Prefixes.Kind, _ rows: [(prefix: String, score: Int64, entity: String)], on db: any SQLDatabase) async throws {
        for chunk in rows.chunked(rowsPerStatement) {
            var query = SQLQueryString("INSERT INTO search_prefixes (prefix, kind, score, entity) VALUES ")
            for (index, row) in chunk.enumerated() {
                query += index == 0 ? "(" : ", ("
                query += "\(bind: row.prefix), \(unsafeRaw: String(kind.rawValue)), \(unsafeRaw: String(row.score)), \(bind: row.entity))"
            }
            try await db.raw(query + " ON CONFLICT DO NOTHING").run()
        }
    }

    /// Adds `counts` to the vocabulary, filing new typo-eligible terms under their variants.
    static func addTerms(_ counts: [String: Int64], on db: any SQLDatabase) async throws {
        let entries = counts.sorted { $0.key < $1.key }
        for chunk in entries.chunked(rowsPerStatement) {
            var query = SQLQueryString("INSERT INTO search_terms (term, docs) VALUES ")
            for (index, entry) in chunk.enumerated() {
                query += index == 0 ? "(" : ", ("
                query += "\(bind: entry.key), \(unsafeRaw: String(entry.value)))"
            }
            try await db.raw(query + " ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + excluded.docs").run()
        }
        try await fileVariants(of: entries.map(\.key), on: db)
    }

    /// Files typo-eligible `terms` under their one-letter deletion variants (SQLite; PostgreSQL's
    /// trigram index follows the vocabulary table itself).
    static func fileVariants(of terms: [String], on db: any SQLDatabase) async throws {
        guard IndexStore.isSQLite(db) else { return }
        let pairs = terms.filter(Fuzzy.indexesVariants).flatMap { term in Typos.deletionVariants(of: term).map { (variant: $0, term: term) } }
        for chunk in pairs.chunked(rowsPerStatement) {
            var query = SQLQueryString("INSERT INTO search_term_variants (variant, term) VALUES ")
            for (index, pair) in chunk.enumerated() {
                query += index == 0 ? "(" : ", ("
                query += "\(bind: pair.variant), \(bind: pair.term))"
            }
            try await db.raw(query + " ON CONFLICT DO NOTHING").run()
        }
    }
}
