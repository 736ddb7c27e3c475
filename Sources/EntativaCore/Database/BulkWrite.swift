import SQLKit

/// Writes many rows with multi-row statements, several statements per transaction: one row per
/// statement and one commit per statement would take hours for the millions of rows `entativa
/// seed` writes, and a single transaction would hold SQLite's writer for all of it.
public enum BulkWrite {
    /// Rows per statement: 500 rows of up to 12 columns stay under SQLite's and PostgreSQL's
    /// bind limits (32,766 and 65,535).
    public static let rowsPerStatement = 500
    static let statementsPerTransaction = 40

    /// Runs `statement` over `rows` in slices, calling `progress` with the rows written so far.
    public static func run<Row: Sendable>(
        _ rows: [Row], on database: AppDatabase, progress: @Sendable (Int) -> Void = { _ in },
        statement: @escaping @Sendable (ArraySlice<Row>) -> SQLQueryString
    ) async throws {
        let perTransaction = rowsPerStatement * statementsPerTransaction
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perTransaction)
            let slice = rows[start..<end]
            try await database.transaction { db in
                var from = slice.startIndex
                while from < slice.endIndex {
                    let to = min(slice.endIndex, from + rowsPerStatement)
                    try await db.raw(statement(slice[from..<to])).run()
                    from = to
                }
            }
            start = end
            progress(start)
        }
    }
}
