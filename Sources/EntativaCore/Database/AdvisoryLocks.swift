import SQLKit

extension AppDatabase {
    /// Serialises transactions that work on the same `keys` of `scope` (for example one
    /// account's friend caps) until the transaction on `db` ends, without touching any table, so
    /// a module never locks rows another module owns. PostgreSQL takes transaction-scoped
    /// advisory locks in ascending key order, so two callers never wait on each other in a
    /// cycle; SQLite has one writer and needs nothing. Unrelated scopes hash apart; a rare
    /// collision only makes two transactions wait for each other.
    public func lock(_ scope: String, _ keys: [Int64], on db: any SQLDatabase) async throws {
        guard engine == .postgres, !keys.isEmpty else { return }
        let names = Set(keys).sorted().map { "\(scope):\($0)" }
        try await db.raw("""
            SELECT pg_advisory_xact_lock(k) FROM (SELECT hashtextextended(n, 0) AS k FROM unnest(ARRAY[\(binds: names)]::text[]) AS n) AS keys
            ORDER BY k
            """).run()
    }
}
