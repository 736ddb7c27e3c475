import FluentKit
import SQLKit
import Synchronization

/// The migrations of every module, in the order modules registered them. Migrations are
/// append-only: a landed one is never edited, a change is a new migration.
public final class MigrationRegistry: Sendable {
    private let migrations = Mutex<[any Migration]>([])

    public init() {}

    public var all: [any Migration] { migrations.withLock { $0 } }

    public func add(_ more: [any Migration]) {
        migrations.withLock { $0.append(contentsOf: more) }
    }
}

/// A migration written with SQLKit, so one definition runs on SQLite and PostgreSQL.
public protocol SQLMigration: AsyncMigration {
    var name: String { get }
    func prepare(sql: any SQLDatabase) async throws
    func revert(sql: any SQLDatabase) async throws
}

extension SQLMigration {
    public func prepare(on database: any Database) async throws {
        try await prepare(sql: database as! any SQLDatabase)
    }

    public func revert(on database: any Database) async throws {
        try await revert(sql: database as! any SQLDatabase)
    }
}
