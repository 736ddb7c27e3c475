import FluentSQLiteDriver
import Logging
import NIOCore
import SQLKit
import Synchronization

/// Counts statements for `AppDatabase.statementsExecuted`: benchmarks report queries per
/// request and tests assert that a page costs a fixed number of them.
final class StatementCounter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add() { count.add(1, ordering: .relaxed) }
}

/// What domains receive as `database.sql`. On SQLite a statement that only reads (`SELECT …`)
/// goes to a pool of read connections, so reads run on every core and never queue behind a
/// write; everything else, and every statement inside a transaction, goes to the one writer.
/// A read the pool cannot serve (busy during a checkpoint) is run by the writer instead.
struct RoutedSQLDatabase: SQLDatabase {
    let writer: any SQLDatabase
    let reader: (any SQLDatabase)?
    let counter: StatementCounter
    let invalidation: CacheInvalidation
    /// Set inside a transaction: cache invalidations wait for it to end.
    let afterTransaction: AfterTransaction?

    var logger: Logger { writer.logger }
    var eventLoop: any EventLoop { writer.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { writer.version }
    var dialect: any SQLDialect { writer.dialect }
    var queryLogLevel: Logger.Level? { writer.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        counter.add()
        guard let reader, Self.onlyReads(query, in: writer) else { return writer.execute(sql: query, onRow) }
        let writer = self.writer
        return reader.execute(sql: query, onRow).flatMapError { error in
            Self.isBusy(error) ? writer.execute(sql: query, onRow) : writer.eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        counter.add()
        guard let reader, Self.onlyReads(query, in: writer) else { return try await writer.execute(sql: query, onRow) }
        do {
            try await reader.execute(sql: query, onRow)
        } catch where Self.isBusy(error) {
            try await writer.execute(sql: query, onRow)
        }
    }

    /// A statement that starts with SELECT reads only: SQLite has no side-effecting functions
    /// that we call, and writing CTEs begin with WITH, which goes to the writer.
    static func onlyReads(_ query: any SQLExpression, in database: any SQLDatabase) -> Bool {
        let text = database.serialize(query).sql
        guard let start = text.utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 }) else { return false }
        let head = text.utf8[start...].prefix(6)
        return head.count == 6 && String(decoding: head, as: UTF8.self).uppercased() == "SELECT"
    }

    /// SQLite reports busy when a statement starts, before any row reached the callback, so
    /// running it again on the writer delivers each row once.
    static func isBusy(_ error: any Error) -> Bool {
        switch (error as? SQLiteError)?.reason {
        case .busy?, .busyInRecovery?, .busyInSnapshot?, .busyTimeout?, .locked?: true
        default: false
        }
    }
}
