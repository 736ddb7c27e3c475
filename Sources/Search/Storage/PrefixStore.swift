import EntativaCore
import SQLKit

/// Autocomplete's rows: (prefix, kind, popularity bucket, entity).
enum PrefixStore {
    struct Filing: Equatable, Sendable {
        var prefixes: Set<String>
        var score: Int64
    }

    /// Moves `entity` from its `old` filing to its `new` one (either may be absent); nothing is
    /// written when they are the same.
    static func refile(_ kind: Prefixes.Kind, entity: String, from old: Filing?, to new: Filing?, on db: any SQLDatabase) async throws {
        guard old != new else { return }
        if let old, !old.prefixes.isEmpty {
            for chunk in Array(old.prefixes).chunked(200) {
                try await db.raw("""
                    DELETE FROM search_prefixes WHERE kind = \(bind: kind.rawValue) AND score = \(bind: old.score) AND entity = \(bind: entity)
                    AND prefix IN (\(binds: Array(chunk)))
                    """).run()
            }
        }
        guard let new, !new.prefixes.isEmpty else { return }
        try await BulkIndexStore.insertPrefixes(kind, new.prefixes.sorted().map { ($0, new.score, entity) }, on: db)
    }

    /// The most popular entities of `kind` filed under `prefix`, most popular first.
    static func top(_ kind: Prefixes.Kind, prefix: String, limit: Int, on db: any SQLDatabase) async throws -> [(entity: String, score: Int64)] {
        try await db.raw("""
            SELECT entity, score FROM search_prefixes WHERE prefix = \(bind: prefix) AND kind = \(bind: kind.rawValue)
            ORDER BY score DESC, entity DESC LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "entity", as: String.self), try $0.decode(column: "score", as: Int64.self)) }
    }
}

extension Array {
    /// This array in runs of at most `size`.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
