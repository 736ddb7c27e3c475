import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Every statement on `take_btt`, `take_btt_views` and `take_btt_saves`.
enum BehindTheTakeStore {
    struct Content: Codable, Sendable, Equatable {
        struct Step: Codable, Sendable, Equatable {
            var text: String
            var mediaId: MediaID?
        }
        var steps: [Step]
        var equipment: [String]
        var software: [String]
        var tips: [String]
        var mediaIds: [MediaID]
    }

    struct Row: Decodable, Sendable {
        var takeId: PostID
        var authorId: AccountID
        var content: String
        var viewCount: Int64
        var savedCount: Int64
        var updatedAt: Int64

        func decodedContent() throws -> Content { try JSONDecoder().decode(Content.self, from: Data(content.utf8)) }
    }

    static func find(_ take: PostID, on db: any SQLDatabase, lock: String = "") async throws -> Row? {
        try await db.raw("SELECT * FROM take_btt WHERE take_id = \(bind: take.rawValue)\(unsafeRaw: lock)").first()?.decode(Row.self)
    }

    static func upsert(_ take: PostID, author: AccountID, content: String, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO take_btt (take_id, author_id, content, updated_at) VALUES (\(bind: take.rawValue), \(bind: author.rawValue), \(bind: content), \(bind: now))
            ON CONFLICT (take_id) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at
            """).run()
    }

    static func delete(_ take: PostID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM take_btt_saves WHERE take_id = \(bind: take.rawValue)").run()
        try await db.raw("DELETE FROM take_btt_views WHERE take_id = \(bind: take.rawValue)").run()
        try await db.raw("DELETE FROM take_btt WHERE take_id = \(bind: take.rawValue)").run()
    }

    /// Of `takes`, those with a Behind-the-Take.
    static func existing(among takes: [PostID], on db: any SQLDatabase) async throws -> Set<PostID> {
        guard !takes.isEmpty else { return [] }
        return Set(try await db.raw("SELECT take_id FROM take_btt WHERE take_id IN (\(binds: takes.map(\.rawValue)))").all()
            .map { try $0.decode(column: "take_id", as: PostID.self) })
    }

    /// Answers whether this was the viewer's first view.
    static func view(_ take: PostID, viewer: AccountID, on db: any SQLDatabase) async throws -> Bool {
        let inserted = try await db.raw("""
            INSERT INTO take_btt_views (take_id, viewer_id) VALUES (\(bind: take.rawValue), \(bind: viewer.rawValue))
            ON CONFLICT (take_id, viewer_id) DO NOTHING RETURNING take_id
            """).first() != nil
        if inserted { try await db.raw("UPDATE take_btt SET view_count = view_count + 1 WHERE take_id = \(bind: take.rawValue)").run() }
        return inserted
    }

    static func save(_ take: PostID, account: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        let inserted = try await db.raw("""
            INSERT INTO take_btt_saves (take_id, account_id, saved_at) VALUES (\(bind: take.rawValue), \(bind: account.rawValue), \(bind: now))
            ON CONFLICT (take_id, account_id) DO NOTHING RETURNING take_id
            """).first() != nil
        if inserted { try await db.raw("UPDATE take_btt SET saved_count = saved_count + 1 WHERE take_id = \(bind: take.rawValue)").run() }
    }

    static func unsave(_ take: PostID, account: AccountID, on db: any SQLDatabase) async throws {
        let removed = try await db.raw("""
            DELETE FROM take_btt_saves WHERE take_id = \(bind: take.rawValue) AND account_id = \(bind: account.rawValue) RETURNING take_id
            """).first() != nil
        if removed { try await db.raw("UPDATE take_btt SET saved_count = saved_count - 1 WHERE take_id = \(bind: take.rawValue)").run() }
    }

    static func isSaved(_ take: PostID, by account: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS one FROM take_btt_saves WHERE take_id = \(bind: take.rawValue) AND account_id = \(bind: account.rawValue)
            """).first() != nil
    }

    /// What `account` saved to learn from, newest first, below `before` (a save time).
    static func saved(by account: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [(take: PostID, savedAt: Int64)] {
        try await db.raw("""
            SELECT take_id, saved_at FROM take_btt_saves WHERE account_id = \(bind: account.rawValue) AND saved_at < \(bind: before ?? Int64.max)
            ORDER BY saved_at DESC, take_id DESC LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "take_id", as: PostID.self), try $0.decode(column: "saved_at", as: Int64.self)) }
    }

    /// An erased account's views and saves go, and so do the Behind-the-Takes of its Takes,
    /// with what others recorded about them; counters of others' Behind-the-Takes drop with it.
    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        try await db.raw("""
            UPDATE take_btt SET saved_count = saved_count - 1
            WHERE take_id IN (SELECT take_id FROM take_btt_saves WHERE account_id = \(bind: id))
            """).run()
        try await db.raw("""
            UPDATE take_btt SET view_count = view_count - 1
            WHERE take_id IN (SELECT take_id FROM take_btt_views WHERE viewer_id = \(bind: id))
            """).run()
        try await db.raw("DELETE FROM take_btt_saves WHERE account_id = \(bind: id) OR take_id IN (SELECT take_id FROM take_btt WHERE author_id = \(bind: id))").run()
        try await db.raw("DELETE FROM take_btt_views WHERE viewer_id = \(bind: id) OR take_id IN (SELECT take_id FROM take_btt WHERE author_id = \(bind: id))").run()
        try await db.raw("DELETE FROM take_btt WHERE author_id = \(bind: id)").run()
    }
}
