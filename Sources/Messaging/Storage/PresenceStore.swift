import EntativaCore
import EntativaModels
import SQLKit

/// Presence settings, last-seen times, and which instances hold an account's sockets.
enum PresenceStore {
    struct Row: Decodable, Sendable {
        var accountId: Int64
        var visibility: String
        var lastSeenAt: Int64?
    }

    static let defaultVisibility = PresenceVisibility.contacts

    static func rows(_ accounts: [AccountID], on db: any SQLDatabase) async throws -> [AccountID: Row] {
        guard !accounts.isEmpty else { return [:] }
        let rows = try await db.raw("SELECT * FROM messaging_presence WHERE account_id IN (\(binds: accounts.map(\.rawValue)))").all()
            .map { try $0.decode(Row.self) }
        return Dictionary(uniqueKeysWithValues: rows.map { (AccountID(rawValue: $0.accountId), $0) })
    }

    static func setVisibility(_ account: AccountID, _ visibility: PresenceVisibility, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO messaging_presence (account_id, visibility) VALUES (\(bind: account.rawValue), \(bind: visibility.rawValue))
            ON CONFLICT (account_id) DO UPDATE SET visibility = excluded.visibility
            """).run()
    }

    /// Which of `accounts` hold a socket on an instance that refreshed since `since`.
    static func online(_ accounts: [AccountID], since: Int64, on db: any SQLDatabase) async throws -> Set<AccountID> {
        guard !accounts.isEmpty else { return [] }
        return Set(
            try await db.raw("""
                SELECT DISTINCT account_id FROM messaging_presence_sockets
                WHERE account_id IN (\(binds: accounts.map(\.rawValue))) AND refreshed_at > \(bind: since)
                """).all().map { AccountID(rawValue: try $0.decode(column: "account_id", as: Int64.self)) })
    }

    static func connected(_ account: AccountID, instance: Int, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO messaging_presence_sockets (account_id, instance, refreshed_at) VALUES (\(bind: account.rawValue), \(bind: instance), \(bind: now))
            ON CONFLICT (account_id, instance) DO UPDATE SET refreshed_at = excluded.refreshed_at
            """).run()
    }

    static func disconnected(_ account: AccountID, instance: Int, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM messaging_presence_sockets WHERE account_id = \(bind: account.rawValue) AND instance = \(bind: instance)
            """).run()
        try await db.raw("""
            INSERT INTO messaging_presence (account_id, visibility, last_seen_at)
            VALUES (\(bind: account.rawValue), \(bind: defaultVisibility.rawValue), \(bind: now))
            ON CONFLICT (account_id) DO UPDATE SET last_seen_at = excluded.last_seen_at
            """).run()
    }

    /// Marks the instance's rows fresh: one statement, made only while it holds sockets.
    static func refresh(instance: Int, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE messaging_presence_sockets SET refreshed_at = \(bind: now) WHERE instance = \(bind: instance)").run()
    }

    /// What an instance left behind when it stopped without saying goodbye.
    static func forget(instance: Int, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM messaging_presence_sockets WHERE instance = \(bind: instance)").run()
    }

    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM messaging_presence_sockets WHERE account_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM messaging_presence WHERE account_id = \(bind: account.rawValue)").run()
    }
}
