import EntativaCore
import EntativaModels
import Posts
import SQLKit

/// The SQL of home timeline entries.
enum HomeEntryStore {
    /// Adds `post` by `author` to each of `accounts`' homes; entries already there stay.
    static func insert(post: PostID, author: AccountID, into accounts: [AccountID], on db: any SQLDatabase) async throws {
        guard !accounts.isEmpty else { return }
        try await db.raw(insert(accounts.map { ($0, post, author) })).run()
        try await db.announceChanges(to: headsCacheName, keys: accounts.lazy.map(\.description))
    }

    /// Adds `posts` to one account's home.
    static func insert(_ posts: [PostReference], into account: AccountID, on db: any SQLDatabase) async throws {
        guard !posts.isEmpty else { return }
        try await db.raw(insert(posts.map { (account, $0.id, $0.author) })).run()
        try await db.announceChange(to: headsCacheName, key: account.description)
    }

    /// Every statement that adds entries announces their homes to `HomeHeads`; removals need
    /// not (`HomeHeads` says why).
    static let headsCacheName = "home-heads"

    /// The statement that adds `entries` (at least one); entries already there stay.
    static func insert(_ entries: some Collection<(account: AccountID, post: PostID, author: AccountID)>) -> SQLQueryString {
        let rows: [SQLQueryString] = entries.map { "(\(bind: $0.account.rawValue), \(bind: $0.post.rawValue), \(bind: $0.author.rawValue))" }
        return "INSERT INTO home_entries (account_id, post_id, author_id) VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING"
    }

    /// How many homes hold `post`.
    static func homesHolding(_ post: PostID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS homes FROM home_entries WHERE post_id = \(bind: post.rawValue)").first()?
            .decode(column: "homes", as: Int.self) ?? 0
    }

    /// One account's entries, newest first, before `before`.
    static func page(of account: AccountID, before: PostID?, limit: Int, on db: any SQLDatabase) async throws -> [PostReference] {
        try await db.raw("""
            SELECT post_id, author_id FROM home_entries
            WHERE account_id = \(bind: account.rawValue) AND post_id < \(bind: before?.rawValue ?? Int64.max)
            ORDER BY post_id DESC LIMIT \(bind: limit)
            """).all().map { PostReference(id: try $0.decode(column: "post_id", as: PostID.self), author: try $0.decode(column: "author_id", as: AccountID.self)) }
    }

    static func removeAuthor(_ author: AccountID, from account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM home_entries WHERE account_id = \(bind: account.rawValue) AND author_id = \(bind: author.rawValue)").run()
    }

    /// Takes `post` out of every home but `keeping`'s (its author's, when the post stays).
    static func removePost(_ post: PostID, keeping: AccountID?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM home_entries WHERE post_id = \(bind: post.rawValue) AND account_id <> \(bind: keeping?.rawValue ?? 0)
            """).run()
    }

    /// An erased account's home and its posts in everyone else's.
    static func removeAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM home_entries WHERE account_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM home_entries WHERE author_id = \(bind: account.rawValue)").run()
        try await db.raw("DELETE FROM home_gaps WHERE account_id = \(bind: account.rawValue) OR author_id = \(bind: account.rawValue)").run()
        try await db.announceChange(to: gapsCacheName, key: "*")
    }

    /// Every change to a reader's gaps announces the reader to `HomeGapCache`.
    static let gapsCacheName = "home-gaps"

    /// Authors whose posts below a post ID are missing from `account`'s entries.
    static func gaps(of account: AccountID, on db: any SQLDatabase) async throws -> [AccountID: PostID] {
        var gaps: [AccountID: PostID] = [:]
        for row in try await db.raw("SELECT author_id, below_post_id FROM home_gaps WHERE account_id = \(bind: account.rawValue)").all() {
            gaps[try row.decode(column: "author_id", as: AccountID.self)] = try row.decode(column: "below_post_id", as: PostID.self)
        }
        return gaps
    }

    /// Records that `author`'s posts below `below` are missing from `account`'s entries; nil
    /// records that none are.
    static func setGap(of account: AccountID, author: AccountID, below: PostID?, on db: any SQLDatabase) async throws {
        guard let below else {
            let removed = try await db.raw("""
                DELETE FROM home_gaps WHERE account_id = \(bind: account.rawValue) AND author_id = \(bind: author.rawValue)
                RETURNING below_post_id
                """).all()
            if !removed.isEmpty { try await db.announceChange(to: gapsCacheName, key: account.description) }
            return
        }
        try await db.raw("""
            INSERT INTO home_gaps (account_id, author_id, below_post_id)
            VALUES (\(bind: account.rawValue), \(bind: author.rawValue), \(bind: below.rawValue))
            ON CONFLICT (account_id, author_id) DO UPDATE SET below_post_id = excluded.below_post_id
            """).run()
        try await db.announceChange(to: gapsCacheName, key: account.description)
    }
}
