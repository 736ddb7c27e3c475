import FluentKit
import SQLKit

/// The migrations of every module, in the order modules registered them. Migrations are
/// append-only: a landed one is never edited, a change is a new migration.
public final class MigrationRegistry: @unchecked Sendable {
    // Filled during start-up on one task, read-only afterwards.
    public private(set) var all: [any Migration] = []

    public init() {}

    public func add(_ migrations: [any Migration]) {
        all.append(contentsOf: migrations)
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
