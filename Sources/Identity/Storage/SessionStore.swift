import EntativaCore
import EntativaModels
import Foundation
import SQLKit

struct SessionRow: Decodable, Sendable {
    var id: Int64
    var accountId: AccountID
    var deviceName: String
    var ip: String
    var userAgent: String
    var createdAt: Int64
    var lastUsedAt: Int64
    var revokedAt: Int64?

    func dto(current: SessionID?) -> Session {
        Session(
            id: SessionID(rawValue: id), deviceName: deviceName, ip: ip, createdAt: Date(millisecondsSince1970: createdAt),
            lastUsedAt: Date(millisecondsSince1970: lastUsedAt), current: current?.rawValue == id)
    }
}

struct RefreshTokenRow: Decodable, Sendable {
    var id: Int64
    var sessionId: Int64
    var expiresAt: Int64
    var usedAt: Int64?
}

/// Sessions (one per sign-in) and the chain of refresh tokens rotated within each.
enum SessionStore {
    /// The cache of checked sessions (`SessionStandings`), keyed for invalidation by account:
    /// every write that can end a session or change what it may do announces its account there.
    static let cacheName = "sessions"

    static func announceChange(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: account.description)
    }
    static func insert(_ session: SessionRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO sessions (id, account_id, device_name, ip, user_agent, created_at, last_used_at)
            VALUES (\(bind: session.id), \(bind: session.accountId), \(bind: session.deviceName), \(bind: session.ip),
                \(bind: session.userAgent), \(bind: session.createdAt), \(bind: session.lastUsedAt))
            """).run()
    }

    /// Whether the session is open and its account's role and state, in one read for every request.
    static func standing(
        of session: SessionID, account: AccountID, on db: any SQLDatabase
    ) async throws -> (revoked: Bool, role: String, state: String)? {
        guard let row = try await db.raw("""
            SELECT a.role AS role, a.state AS state, s.revoked_at AS revoked_at
            FROM sessions s JOIN accounts a ON a.id = s.account_id
            WHERE s.id = \(bind: session.rawValue) AND a.id = \(bind: account.rawValue)
            """).first()
        else { return nil }
        return (
            try row.decode(column: "revoked_at", as: Int64?.self) != nil, try row.decode(column: "role", as: String.self),
            try row.decode(column: "state", as: String.self)
        )
    }

    static func find(_ id: SessionID, on db: any SQLDatabase) async throws -> SessionRow? {
        try await db.raw("SELECT * FROM sessions WHERE id = \(bind: id.rawValue)").first()?.decode(SessionRow.self)
    }

    /// Which of `ids` belong to `account`, revoked or not.
    static func owned(_ ids: [SessionID], by account: AccountID, on db: any SQLDatabase) async throws -> Set<SessionID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT id FROM sessions WHERE account_id = \(bind: account.rawValue) AND id IN (\(binds: ids.map(\.rawValue)))
            """).all().map { try $0.decode(column: "id", as: SessionID.self) })
    }

    /// The live sessions of an account, newest first, older than `before` when paging.
    static func active(of account: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [SessionRow] {
        try await db.raw("""
            SELECT * FROM sessions WHERE account_id = \(bind: account.rawValue) AND revoked_at IS NULL
            AND id < \(bind: before ?? Int64.max) ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(SessionRow.self) }
    }

    /// True when the account signed in before from a device with this name and agent.
    static func knownDevice(of account: AccountID, deviceName: String, userAgent: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT id FROM sessions WHERE account_id = \(bind: account.rawValue)
            AND device_name = \(bind: deviceName) AND user_agent = \(bind: userAgent) LIMIT 1
            """).first() != nil
    }

    static func touch(_ id: SessionID, ip: String, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE sessions SET last_used_at = \(bind: now), ip = \(bind: ip) WHERE id = \(bind: id.rawValue)
            """).run()
    }

    /// Revokes one session; false if it was not live or is another account's.
    static func revoke(_ id: SessionID, of account: AccountID, reason: String, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let revoked = try await !db.raw("""
            UPDATE sessions SET revoked_at = \(bind: now), revoke_reason = \(bind: reason)
            WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue) AND revoked_at IS NULL
            RETURNING id
            """).all().isEmpty
        if revoked { try await announceChange(of: account, on: db) }
        return revoked
    }

    /// Revokes every live session of the account except `keeping`; returns how many.
    @discardableResult
    static func revokeAll(of account: AccountID, except keeping: SessionID?, reason: String, now: Int64, on db: any SQLDatabase) async throws -> Int {
        let count = try await db.raw("""
            UPDATE sessions SET revoked_at = \(bind: now), revoke_reason = \(bind: reason)
            WHERE account_id = \(bind: account.rawValue) AND revoked_at IS NULL AND id <> \(bind: keeping?.rawValue ?? 0)
            RETURNING id
            """).all().count
        if count > 0 { try await announceChange(of: account, on: db) }
        return count
    }

    static func insertRefreshToken(id: Int64, session: SessionID, hash: String, now: Int64, expiresAt: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at)
            VALUES (\(bind: id), \(bind: session.rawValue), \(bind: hash), \(bind: now), \(bind: expiresAt))
            """).run()
    }

    static func findRefreshToken(hash: String, on db: any SQLDatabase) async throws -> RefreshTokenRow? {
        try await db.raw("""
            SELECT id, session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = \(bind: hash)
            """).first()?.decode(RefreshTokenRow.self)
    }

    /// Spends a refresh token; false if someone spent it first (two racing refreshes: one wins).
    static func spendRefreshToken(_ id: Int64, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE refresh_tokens SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id
            """).all().isEmpty
    }
}
