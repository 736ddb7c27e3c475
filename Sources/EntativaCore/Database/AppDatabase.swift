import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgres
}

/// The one database of a process: embedded SQLite by default, PostgreSQL when a URL is given.
/// Domains see it through SQLKit, so one set of queries serves both engines; the few statements
/// that differ ask `engine`.
public final class AppDatabase: Sendable, Service {
    public let engine: DatabaseEngine
    private let databases: Databases
    private let eventLoopGroup: any EventLoopGroup
    private let ownedGroup: MultiThreadedEventLoopGroup?
    private let logger: Logger
    /// One handle per event loop, made while the drivers are up. After `shutdown` Fluent has no
    /// driver to make a handle from; a request still running then (a test whose client gave up,
    /// a job finishing late) gets these, whose closed pools fail its queries with an error
    /// instead of trapping the process.
    private let handles: [ObjectIdentifier: any Database]
    /// SQLite only: the read connections, one per loop of `readers`, used by `sql` for SELECTs.
    private let readerPool: ReaderPool?
    private let counter = StatementCounter()
    /// Where in-process caches learn of changes (theirs and, on PostgreSQL, other instances').
    public let invalidation: CacheInvalidation

    private init(
        engine: DatabaseEngine, databases: Databases, group: any EventLoopGroup, owned: MultiThreadedEventLoopGroup?, readers: ReaderPool? = nil,
        logger: Logger
    ) {
        self.engine = engine
        self.databases = databases
        self.eventLoopGroup = group
        self.ownedGroup = owned
        self.readerPool = readers
        self.invalidation = CacheInvalidation(engine: engine)
        self.logger = logger
        self.handles = Self.handles(of: databases, on: group, logger: logger)
    }

    /// How much of the file each read connection maps (SQLite caps it at its compile-time
    /// maximum, 2 GiB by default); the pages are the kernel's page cache, shared, not copies.
    static let readerMapBytes = 1 << 34
    /// Each read connection's own page cache for what the mapping does not serve (the WAL).
    static let readerCacheKiB = 32_768
    static let writerCacheKiB = 131_072

    private static func handles(of databases: Databases, on group: any EventLoopGroup, logger: Logger) -> [ObjectIdentifier: any Database] {
        var handles: [ObjectIdentifier: any Database] = [:]
        for loop in group.makeIterator() {
            handles[ObjectIdentifier(loop)] = databases.database(logger: logger, on: loop)
        }
        return handles
    }

    /// SQLite's read side: its own event loops, each with its one connection (Fluent keeps one per
    /// loop), so reads run side by side in WAL mode while the writer stays alone.
    private struct ReaderPool: Sendable {
        let databases: Databases
        let group: MultiThreadedEventLoopGroup
        let handles: [ObjectIdentifier: any Database]

        var sql: any SQLDatabase {
            let loop = group.any()
            return (handles[ObjectIdentifier(loop)] ?? handles.values.first!) as! any SQLDatabase
        }

        func shutdown() async {
            await databases.shutdownAsync()
            try? await group.shutdownGracefully()
        }
    }

    /// Statements run through `sql` and `transaction` since the database opened.
    public var statementsExecuted: Int { counter.value }

    /// Opens (and for SQLite creates) the database. SQLite writes on one private event loop, hence
    /// one connection: writers queue instead of failing with SQLITE_BUSY; `readers` more
    /// connections serve plain reads. `connectionsPerLoop` bounds PostgreSQL connections per event
    /// loop (one loop per core).
    public static func open(
        url: String?, sqlitePath: String, logger: Logger, connectionsPerLoop: Int = 8,
        readers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async throws -> AppDatabase {
        if let url, url.hasPrefix("postgres") {
            let group = MultiThreadedEventLoopGroup.singleton
            let databases = Databases(threadPool: .singleton, on: group)
            databases.use(
                try .postgres(url: url, maxConnectionsPerEventLoop: connectionsPerLoop, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace), as: .psql)
            let database = AppDatabase(engine: .postgres, databases: databases, group: group, owned: nil, logger: logger)
            try await database.closingOnFailure { _ = try await database.sql.raw("SELECT 1").all() }
            return database
        }
        if let url, !url.hasPrefix("sqlite") {
            throw AppError.invalid(field: "database_url", code: "unsupported", message: "must start with postgres:// or be absent")
        }
        let path = url.map { String($0.drop(while: { $0 != ":" }).dropFirst().drop(while: { $0 == "/" })) } ?? sqlitePath
        let file = url == nil ? sqlitePath : "/" + path
        let directory = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let databases = Databases(threadPool: .singleton, on: group)
        // One connection means requests queue for it; under load they wait rather than fail.
        databases.use(.sqlite(.file(file), connectionPoolTimeout: .seconds(60), sqlLogLevel: .trace), as: .sqlite)
        let writer = AppDatabase(engine: .sqlite, databases: databases, group: group, owned: group, logger: logger)
        // WAL keeps readers off writers' backs; FULL sync makes an answered write survive a power cut.
        try await writer.closingOnFailure {
            _ = try await writer.sql.raw("PRAGMA journal_mode=WAL").all()
            _ = try await writer.sql.raw("PRAGMA synchronous=FULL").all()
            _ = try await writer.sql.raw("PRAGMA busy_timeout=10000").all()
            // Fan-out writes entries all over a home table of millions of rows; with the
            // default 2 MB page cache most of each batch's pages were read again.
            _ = try await writer.sql.raw("PRAGMA cache_size=-\(unsafeRaw: String(Self.writerCacheKiB))").all()
        }
        guard readers > 0 else { return writer }
        let readerGroup = MultiThreadedEventLoopGroup(numberOfThreads: min(readers, 16))
        let readerDatabases = Databases(threadPool: .singleton, on: readerGroup)
        readerDatabases.use(.sqlite(.file(file), connectionPoolTimeout: .seconds(60), sqlLogLevel: .trace), as: .sqlite)
        let pool = ReaderPool(databases: readerDatabases, group: readerGroup, handles: handles(of: readerDatabases, on: readerGroup, logger: logger))
        do {
            // Each loop's one connection is opened here and kept by its pool; query_only makes a
            // write sent to it by mistake fail loudly instead of bypassing the writer.
            for handle in pool.handles.values {
                let sql = handle as! any SQLDatabase
                _ = try await sql.raw("PRAGMA busy_timeout=10000").all()
                _ = try await sql.raw("PRAGMA query_only=1").all()
                // Reads map the file instead of copying each page through a read() call, which
                // was a sixth of a home read; decision 0022 weighs what a mapping costs.
                _ = try await sql.raw("PRAGMA mmap_size=\(unsafeRaw: String(Self.readerMapBytes))").all()
                _ = try await sql.raw("PRAGMA cache_size=-\(unsafeRaw: String(Self.readerCacheKiB))").all()
            }
        } catch {
            await pool.shutdown()
            await writer.shutdown()
            throw error
        }
        return AppDatabase(engine: .sqlite, databases: databases, group: group, owned: group, readers: pool, logger: logger)
    }

    public var fluent: any Database {
        let loop = eventLoopGroup.any()
        guard let database = handles[ObjectIdentifier(loop)] ?? handles.values.first else {
            preconditionFailure("a database with no event loop")
        }
        return database
    }

    public var sql: any SQLDatabase {
        RoutedSQLDatabase(
            writer: fluent as! any SQLDatabase, reader: readerPool?.sql, counter: counter, invalidation: invalidation, afterTransaction: nil)
    }

    /// Runs `body` in one transaction: every write of a use case commits together or not at all.
    /// Its reads go to the writer too, so they see the transaction's own writes.
    @discardableResult
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let (counter, invalidation) = (self.counter, self.invalidation)
        let after = AfterTransaction()
        defer { after.run() }
        return try await fluent.transaction { database in
            try await body(
                RoutedSQLDatabase(writer: database as! any SQLDatabase, reader: nil, counter: counter, invalidation: invalidation, afterTransaction: after))
        }
    }

    public func migrate(_ registry: MigrationRegistry) async throws {
        let migrator = makeMigrator(registry)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    public func pendingMigrations(_ registry: MigrationRegistry) async throws -> [String] {
        let migrator = makeMigrator(registry)
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    private func makeMigrator(_ registry: MigrationRegistry) -> Migrator {
        let migrations = Migrations()
        migrations.add(registry.all)
        return Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any())
    }

    /// Keeps the database open while the server runs, and closes it after every other service stopped.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// A connection pool dropped without shutting down traps in debug builds, so a database that
    /// fails its first queries is shut down before the error goes on.
    private func closingOnFailure(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await shutdown()
            throw error
        }
    }

    public func shutdown() async {
        await readerPool?.shutdown()
        await databases.shutdownAsync()
        try? await ownedGroup?.shutdownGracefully()
    }
}

extension AppDatabase {
    /// ` FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer and needs no row locks.
    public var skipLocked: String { engine == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
    public var forUpdate: String { engine == .postgres ? " FOR UPDATE" : "" }
    /// Keeps a row from being deleted or changed until the transaction ends, without making
    /// readers of it wait for each other (many viewers recording views of one story).
    public var forShare: String { engine == .postgres ? " FOR SHARE" : "" }
}

extension SQLRow {
    /// Decodes a row into a type whose properties are the snake_case columns in camelCase.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decode(model: type, keyDecodingStrategy: ColumnNames.strategy)
    }

    /// The same, from the columns named `prefix` + the column (a joined table's, aliased).
    public func decode<T: Decodable>(_ type: T.Type, prefix: String) throws -> T {
        try decode(model: type, prefix: prefix, keyDecodingStrategy: ColumnNames.strategy)
    }
}

extension Error {
    /// True for a unique-constraint violation, the only database error a use case expects.
    public var isUniqueViolation: Bool {
        (self as? any DatabaseError)?.isConstraintFailure ?? false
    }
}
