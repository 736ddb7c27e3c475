import EntativaCore
import EntativaModels
import SQLKit

/// Every statement on the `stories` table.
enum StoryStore {
    struct StoryRow: Decodable {
        var id: StoryID
        var authorId: AccountID
        var caption: String
        var createdAt: Int64
        var expiresAt: Int64
        var archivedAt: Int64?
    }

    static func insert(id: StoryID, author: AccountID, caption: String, now: Int64, expiresAt: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO stories (id, author_id, caption, created_at, expires_at)
            VALUES (\(bind: id.rawValue), \(bind: author.rawValue), \(bind: caption), \(bind: now), \(bind: expiresAt))
            """).run()
    }

    /// `owner`'s archived stories with IDs below `before`, newest first.
    static func archived(of owner: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [StoryRow] {
        try await db.raw("""
            SELECT * FROM stories
            WHERE author_id = \(bind: owner.rawValue) AND archived_at IS NOT NULL AND id < \(bind: before ?? Int64.max)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(StoryRow.self) }
    }

    /// Moves every story whose time is up into its owner's archive; answers how many moved.
    static func archiveExpired(now: Int64, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            UPDATE stories SET archived_at = expires_at WHERE archived_at IS NULL AND expires_at <= \(bind: now) RETURNING id
            """).all().count
    }

    /// Of `ids`, the stories still in their authors' trays, with their authors.
    static func live(_ ids: [StoryID], now: Int64, on db: any SQLDatabase) async throws -> [(id: StoryID, author: AccountID)] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("""
            SELECT id, author_id FROM stories WHERE id IN (\(binds: ids.map(\.rawValue))) AND archived_at IS NULL AND expires_at > \(bind: now)
            """).all().map { (try $0.decode(column: "id", as: StoryID.self), try $0.decode(column: "author_id", as: AccountID.self)) }
    }

    static func deleteAll(of author: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM stories WHERE author_id = \(bind: author.rawValue)").run()
    }
}
