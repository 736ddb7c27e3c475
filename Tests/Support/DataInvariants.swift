import EntativaCore
import Foundation
import SQLKit

/// Whole-database checks for tests about deletion: what still names an account, and which
/// denormalised counters disagree with the rows they count.
public enum DataInvariants {
    /// `table.column (n)` for every column of every table holding `id`: integer columns equal to
    /// it, text columns containing it (JSON, keys such as `account:<id>`). IDs are 64-bit and
    /// time-sortable, so a text that contains one names it. `except` skips rows of one table by
    /// its `id` column (the reserved `accounts` row).
    public static func references(to id: Int64, in database: AppDatabase, except: (table: String, id: Int64)? = nil) async throws -> [String] {
        try await columns(in: database) { table, column, kind in
            let skip: SQLQueryString = except.map { $0.table == table ? " AND id <> \(bind: $0.id)" : "" } ?? ""
            switch kind {
            case .integer: return "\(ident: column) = \(bind: id)\(skip)"
            case .text: return "\(ident: column) LIKE \(bind: "%\(id)%")\(skip)"
            }
        }
    }

    /// `table.column (n)` for every text column of every table that contains `needle`: what a
    /// dump of the database would show of it.
    public static func textContaining(_ needle: String, in database: AppDatabase) async throws -> [String] {
        try await columns(in: database) { _, column, kind in kind == .text ? "\(ident: column) LIKE \(bind: "%\(needle)%")" : nil }
    }

    /// `table.column (n)` for every column whose rows `condition` (nil: skip the column) matches.
    static func columns(
        in database: AppDatabase, where condition: (_ table: String, _ column: String, _ kind: ColumnKind) -> SQLQueryString?
    ) async throws -> [String] {
        var found: [String] = []
        for (table, columns) in try await schema(of: database) {
            for (column, kind) in columns {
                guard let match = condition(table, column, kind) else { continue }
                let count = try await database.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(match)").first()?
                    .decode(column: "n", as: Int.self) ?? 0
                if count > 0 { found.append("\(table).\(column) (\(count))") }
            }
        }
        return found
    }

    enum ColumnKind { case integer, text }

    /// Every table and its integer and text columns, from the engine's own catalogue.
    static func schema(of database: AppDatabase) async throws -> [(String, [(String, ColumnKind)])] {
        let db = database.sql
        var tables: [String: [(String, ColumnKind)]] = [:]
        func kind(_ type: String) -> ColumnKind? {
            let type = type.lowercased()
            if type.contains("int") { return .integer }
            if type.contains("text") || type.contains("char") { return .text }
            return nil
        }
        if database.engine == .postgres {
            for row in try await db.raw("""
                SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'
                """).all() {
                guard let kind = kind(try row.decode(column: "data_type", as: String.self)) else { continue }
                tables[try row.decode(column: "table_name", as: String.self), default: []].append((try row.decode(column: "column_name", as: String.self), kind))
            }
        } else {
            let names = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            for name in names {
                tables[name] = []
                for column in try await db.raw("SELECT name, type FROM pragma_table_info(\(bind: name))").all() {
                    guard let kind = kind(try column.decode(column: "type", as: String.self)) else { continue }
                    tables[name, default: []].append((try column.decode(column: "name", as: String.self), kind))
                }
            }
        }
        return tables.sorted { $0.key < $1.key }
    }

    /// Counters that disagree with a `COUNT(*)` of what they count, as `what id: stored ≠ counted`.
    public static func counterDrift(in database: AppDatabase) async throws -> [String] {
        let checks: [(String, SQLQueryString)] = [
            ("post reactions", """
                SELECT id, reaction_count AS stored, (SELECT COUNT(*) FROM reactions r WHERE r.target_type = 'post' AND r.target_id = p.id) AS counted
                FROM posts p
                """),
            ("post comments", """
                SELECT id, comment_count AS stored, (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL) AS counted
                FROM posts p
                """),
            ("post shares", """
                SELECT id, share_count AS stored, (SELECT COUNT(*) FROM shares s WHERE s.original_id = p.id) AS counted FROM posts p
                """),
            ("comment reactions", """
                SELECT id, reaction_count AS stored, (SELECT COUNT(*) FROM reactions r WHERE r.target_type = 'comment' AND r.target_id = c.id) AS counted
                FROM comments c
                """),
            ("comment replies", """
                SELECT id, reply_count AS stored, (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id AND r.deleted_at IS NULL) AS counted
                FROM comments c
                """),
            ("reaction kinds", """
                SELECT target_id AS id, count AS stored, (SELECT COUNT(*) FROM reactions r WHERE r.target_type = k.target_type
                    AND r.target_id = k.target_id AND r.kind = k.kind) AS counted
                FROM reaction_counts k
                """),
            ("uncounted reaction kinds", """
                SELECT r.target_id AS id, 0 AS stored, COUNT(*) AS counted FROM reactions r
                WHERE NOT EXISTS (SELECT 1 FROM reaction_counts k WHERE k.target_type = r.target_type AND k.target_id = r.target_id AND k.kind = r.kind)
                GROUP BY r.target_type, r.target_id, r.kind
                """),
            ("notification groups", """
                SELECT id, count AS stored, (SELECT COUNT(*) FROM notifications n WHERE n.group_id = g.id) AS counted FROM notification_groups g
                """),
            ("unread in notification groups", """
                SELECT id, unread_count AS stored, (SELECT COUNT(*) FROM notifications n WHERE n.group_id = g.id AND n.read_at IS NULL) AS counted
                FROM notification_groups g
                """),
        ]
        var drift: [String] = []
        for (name, query) in checks {
            for row in try await database.sql.raw("SELECT * FROM (\(query)) checked WHERE stored <> counted").all() {
                drift.append("\(name) \(try row.decode(column: "id", as: Int64.self)): \(try row.decode(column: "stored", as: Int64.self)) ≠ \(try row.decode(column: "counted", as: Int64.self))")
            }
        }
        return drift
    }
}
