import EntativaCore
import SQLKit

enum AccountSeedStore {
    static func insert(_ accounts: ArraySlice<SeededAccount>, passwordHash: String) -> SQLQueryString {
        let rows: [SQLQueryString] = accounts.map { account in
            """
            (\(bind: account.id.rawValue), \(bind: account.username), \(bind: account.username.lowercased()), \(bind: account.email), \
            \(bind: account.email.lowercased()), \(bind: account.createdAt), \(bind: passwordHash), \(bind: account.displayName), \
            \(bind: account.bio), '[]', \(bind: false), 'user', 'active', \(bind: account.createdAt), \(bind: account.createdAt))
            """
        }
        return """
            INSERT INTO accounts (id, username, username_key, email, email_key, email_verified_at, password_hash,
                display_name, bio, links, is_private, role, state, created_at, updated_at)
            VALUES \(rows.joined(separator: ", "))
            """
    }

    static func usernames(limit: Int, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT username FROM accounts WHERE email_key LIKE '%@seed.invalid' AND state = 'active'
            ORDER BY id % 7919, id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "username", as: String.self) }
    }
}
