import EntativaCore
import EntativaModels
import Foundation
import SQLKit

enum AccountState: String, Sendable, Decodable {
    case active
    case suspended
    /// Data removed; the row stays so the username stays reserved.
    case deleted
}

/// One `accounts` row, as stored.
struct AccountRow: Decodable, Sendable {
    var id: AccountID
    var username: String
    var email: String?
    var emailVerifiedAt: Int64?
    var passwordHash: String
    var displayName: String
    var bio: String
    var links: String
    var isPrivate: Bool
    var role: Role
    var state: AccountState
    var totpSecret: String?
    var totpPendingSecret: String?
    var totpEnabledAt: Int64?
    var totpLastStep: Int64?
    var createdAt: Int64

    var totpEnabled: Bool { totpEnabledAt != nil && totpSecret != nil }

    var linkList: [String] { (try? JSONDecoder().decode([String].self, from: Data(links.utf8))) ?? [] }

    /// What may be shown of the account, without its credentials.
    var profile: ProfileRow {
        ProfileRow(
            id: id, username: username, email: email, emailVerified: emailVerifiedAt != nil, displayName: displayName, bio: bio,
            links: linkList, isPrivate: isPrivate, role: role, state: state, totpEnabled: totpEnabled, createdAt: createdAt)
    }

    func dto(includePrivate: Bool) -> Account { profile.dto(includePrivate: includePrivate) }
}

/// The part of an account that profiles render and visibility checks read: no password hash and
/// no TOTP secret, so it may be kept in memory (`AccountRows`).
struct ProfileRow: Sendable {
    var id: AccountID
    var username: String
    var email: String?
    var emailVerified: Bool
    var displayName: String
    var bio: String
    /// Decoded once, when the row is read: profiles are rendered far more often than stored.
    var links: [String]
    var isPrivate: Bool
    var role: Role
    var state: AccountState
    var totpEnabled: Bool
    var createdAt: Int64

    /// The wire shape; private fields only for the owner and administrators. The counts are
    /// zero here: `IdentityEnvironment.counted` fills them in for everything sent to clients.
    func dto(includePrivate: Bool) -> Account {
        var account = Account(
            id: id, username: username, displayName: displayName, bio: bio, links: links,
            isPrivate: isPrivate, role: role, createdAt: Date(millisecondsSince1970: createdAt))
        if includePrivate {
            account.email = email
            account.emailVerified = emailVerified
            account.totpEnabled = totpEnabled
            account.suspended = state == .suspended
        }
        return account
    }
}

/// A new account before it is written.
struct NewAccount: Sendable {
    var id: Int64
    var username: String
    var email: String
    var passwordHash: String
    var role: Role
    var emailVerified: Bool
}

/// The SQL of the `accounts` table. Every call takes the database to run on, so a use case can
/// pass its transaction.
enum AccountStore {
    /// Every statement that changes what `ProfileRow` holds announces the account to this cache.
    static let cacheName = "accounts"

    static func announceChange(of id: AccountID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: id.description)
    }

    static func find(_ id: AccountID, on db: any SQLDatabase) async throws -> AccountRow? {
        try await db.raw("SELECT * FROM accounts WHERE id = \(bind: id.rawValue)").first()?.decode(AccountRow.self)
    }

    static func find(username: String, on db: any SQLDatabase) async throws -> AccountRow? {
        try await db.raw("SELECT * FROM accounts WHERE username_key = \(bind: username.lowercased())").first()?.decode(AccountRow.self)
    }

    static func find(_ ids: [AccountID], on db: any SQLDatabase) async throws -> [AccountRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM accounts WHERE id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(AccountRow.self) }
    }

    static func undeletedIDs(after: Int64, limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT id FROM accounts WHERE id > \(bind: after) AND state <> 'deleted' ORDER BY id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: AccountID.self) }
    }

    static func undeletedCount(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM accounts WHERE state <> 'deleted'").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// By lower-cased usernames.
    static func find(usernameKeys keys: [String], on db: any SQLDatabase) async throws -> [AccountRow] {
        guard !keys.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM accounts WHERE username_key IN (\(binds: keys))").all().map { try $0.decode(AccountRow.self) }
    }

    /// By username or email, case-insensitively.
    static func find(login: String, on db: any SQLDatabase) async throws -> AccountRow? {
        let key = login.lowercased()
        return try await db.raw("""
            SELECT * FROM accounts WHERE username_key = \(bind: key) OR email_key = \(bind: key)
            """).first()?.decode(AccountRow.self)
    }

    /// Which of `username` and `email` are taken; the account row survives deletion, so a
    /// deleted account's username stays taken.
    static func taken(username: String, email: String, on db: any SQLDatabase) async throws -> (username: Bool, email: Bool) {
        let rows = try await db.raw("""
            SELECT username_key, email_key FROM accounts
            WHERE username_key = \(bind: username.lowercased()) OR email_key = \(bind: email.lowercased())
            """).all()
        var result = (username: false, email: false)
        for row in rows {
            if try row.decode(column: "username_key", as: String.self) == username.lowercased() { result.username = true }
            if try row.decode(column: "email_key", as: String?.self) == email.lowercased() { result.email = true }
        }
        return result
    }

    static func insert(_ account: NewAccount, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO accounts (id, username, username_key, email, email_key, email_verified_at, password_hash,
                display_name, bio, links, is_private, role, state, created_at, updated_at)
            VALUES (\(bind: account.id), \(bind: account.username), \(bind: account.username.lowercased()),
                \(bind: account.email), \(bind: account.email.lowercased()), \(bind: account.emailVerified ? now : nil),
                \(bind: account.passwordHash), '', '', '[]', \(bind: false), \(bind: account.role.rawValue), 'active',
                \(bind: now), \(bind: now))
            """).run()
    }

    static func setPasswordHash(_ hash: String, for id: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET password_hash = \(bind: hash), updated_at = \(bind: now) WHERE id = \(bind: id.rawValue)
            """).run()
    }

    static func setState(_ state: AccountState, reason: String?, for id: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET state = \(bind: state.rawValue),
                suspended_at = \(bind: state == .suspended ? now : nil), suspension_reason = \(bind: reason),
                deleted_at = \(bind: state == .deleted ? now : nil), updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await SessionStore.announceChange(of: id, on: db)
        try await announceChange(of: id, on: db)
    }

    static func markEmailVerified(_ id: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET email_verified_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id.rawValue)
            """).run()
        try await announceChange(of: id, on: db)
    }

    static func updateProfile(
        _ id: AccountID, displayName: String, bio: String, links: [String], isPrivate: Bool, now: Int64, on db: any SQLDatabase
    ) async throws {
        let linksJSON = String(decoding: try JSONEncoder().encode(links), as: UTF8.self)
        try await db.raw("""
            UPDATE accounts SET display_name = \(bind: displayName), bio = \(bind: bio), links = \(bind: linksJSON),
                is_private = \(bind: isPrivate), updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await announceChange(of: id, on: db)
    }

    static func setRole(_ role: Role, for id: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE accounts SET role = \(bind: role.rawValue), updated_at = \(bind: now) WHERE id = \(bind: id.rawValue)
            """).run()
        try await SessionStore.announceChange(of: id, on: db)
        try await announceChange(of: id, on: db)
    }
}
