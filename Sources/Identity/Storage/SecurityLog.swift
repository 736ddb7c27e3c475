import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// The per-account record of security-relevant happenings, which its owner can read.
struct SecurityLog: Sendable {
    let ids: IDGenerator
    let clock: any WallClock

    func record(
        _ kind: SecurityEventKind, account: AccountID, client: ClientInfo, detail: String? = nil, on db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            INSERT INTO security_events (id, account_id, kind, ip, user_agent, detail, created_at)
            VALUES (\(bind: ids.next()), \(bind: account.rawValue), \(bind: kind.rawValue), \(bind: client.ip),
                \(bind: client.userAgent), \(bind: detail), \(bind: clock.nowMillis()))
            """).run()
    }

    func list(account: AccountID, page: PageRequest, on db: any SQLDatabase) async throws -> Page<SecurityEvent> {
        let rows = try await db.raw("""
            SELECT * FROM security_events WHERE account_id = \(bind: account.rawValue)
            AND id < \(bind: page.before ?? Int64.max) ORDER BY id DESC LIMIT \(bind: page.limit + 1)
            """).all().map { try $0.decode(Row.self) }
        let events = rows.map { row in
            SecurityEvent(
                id: SecurityEventID(rawValue: row.id), kind: SecurityEventKind(rawValue: row.kind) ?? .login, ip: row.ip,
                userAgent: row.userAgent, detail: row.detail, createdAt: Date(millisecondsSince1970: row.createdAt))
        }
        return page.page(events) { $0.id.rawValue }
    }

    struct Row: Decodable {
        var id: Int64
        var kind: String
        var ip: String
        var userAgent: String
        var detail: String?
        var createdAt: Int64
    }
}
