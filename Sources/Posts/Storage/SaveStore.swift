import EntativaCore
import EntativaModels
import SQLKit

/// Saved posts and named collections of them; all private to their owner.
enum SaveStore {
    static func save(_ post: PostID, by account: AccountID, id: Int64, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO saves (id, account_id, post_id, created_at) VALUES (\(bind: id), \(bind: account.rawValue), \(bind: post.rawValue), \(bind: now))
            ON CONFLICT DO NOTHING
            """).run()
        try await ReactionStore.announceChange(on: .post, post.rawValue, by: account, on: db)
    }

    /// Unsaving also takes the post out of every collection of the account's.
    static func unsave(_ post: PostID, by account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM saves WHERE account_id = \(bind: account.rawValue) AND post_id = \(bind: post.rawValue)").run()
        try await db.raw("""
            DELETE FROM collection_posts WHERE post_id = \(bind: post.rawValue)
                AND collection_id IN (SELECT id FROM collections WHERE owner_id = \(bind: account.rawValue))
            """).run()
        try await ReactionStore.announceChange(on: .post, post.rawValue, by: account, on: db)
    }

    /// Entries of the saved list (or of one collection), newest first: (entry ID, post).
    static func entries(of account: AccountID, collection: CollectionID?, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [(key: Int64, row: PostRow)] {
        let rows: [any SQLRow]
        if let collection {
            rows = try await db.raw("""
                SELECT e.id AS entry_id, p.* FROM collection_posts e JOIN posts p ON p.id = e.post_id
                WHERE e.collection_id = \(bind: collection.rawValue) AND e.id < \(bind: before ?? Int64.max)
                ORDER BY e.id DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await db.raw("""
                SELECT e.id AS entry_id, p.* FROM saves e JOIN posts p ON p.id = e.post_id
                WHERE e.account_id = \(bind: account.rawValue) AND e.id < \(bind: before ?? Int64.max)
                ORDER BY e.id DESC LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { (try $0.decode(column: "entry_id", as: Int64.self), try $0.decode(PostRow.self)) }
    }

    struct CollectionRow: Decodable {
        var id: CollectionID
        var ownerId: AccountID
        var name: String
        var createdAt: Int64
        var postCount: Int64?
    }

    static func collection(_ id: CollectionID, owner: AccountID, on db: any SQLDatabase) async throws -> CollectionRow? {
        try await db.raw("""
            SELECT c.*, (SELECT COUNT(*) FROM collection_posts e WHERE e.collection_id = c.id) AS post_count
            FROM collections c WHERE c.id = \(bind: id.rawValue) AND c.owner_id = \(bind: owner.rawValue)
            """).first()?.decode(CollectionRow.self)
    }

    static func collections(of owner: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [CollectionRow] {
        try await db.raw("""
            SELECT c.*, (SELECT COUNT(*) FROM collection_posts e WHERE e.collection_id = c.id) AS post_count
            FROM collections c WHERE c.owner_id = \(bind: owner.rawValue) AND c.id < \(bind: before ?? Int64.max)
            ORDER BY c.id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(CollectionRow.self) }
    }

    static func collectionCount(of owner: AccountID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM collections WHERE owner_id = \(bind: owner.rawValue)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// False when the owner already has a collection of that name (in any case).
    static func createCollection(id: Int64, owner: AccountID, name: String, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            INSERT INTO collections (id, owner_id, name, name_key, created_at)
            VALUES (\(bind: id), \(bind: owner.rawValue), \(bind: name), \(bind: name.lowercased()), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING id
            """).all().isEmpty
    }

    static func nameTaken(_ name: String, owner: AccountID, except id: CollectionID, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS taken FROM collections WHERE owner_id = \(bind: owner.rawValue) AND name_key = \(bind: name.lowercased())
                AND id <> \(bind: id.rawValue)
            """).first() != nil
    }

    static func rename(_ id: CollectionID, to name: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE collections SET name = \(bind: name), name_key = \(bind: name.lowercased()) WHERE id = \(bind: id.rawValue)").run()
    }

    static func deleteCollection(_ id: CollectionID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM collection_posts WHERE collection_id = \(bind: id.rawValue)").run()
        try await db.raw("DELETE FROM collections WHERE id = \(bind: id.rawValue)").run()
    }

    static func file(_ post: PostID, in collection: CollectionID, id: Int64, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO collection_posts (id, collection_id, post_id, created_at)
            VALUES (\(bind: id), \(bind: collection.rawValue), \(bind: post.rawValue), \(bind: now))
            ON CONFLICT DO NOTHING
            """).run()
    }

    static func unfile(_ post: PostID, from collection: CollectionID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM collection_posts WHERE collection_id = \(bind: collection.rawValue) AND post_id = \(bind: post.rawValue)").run()
    }
}
