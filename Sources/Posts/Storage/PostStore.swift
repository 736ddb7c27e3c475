import EntativaCore
import EntativaModels
import Foundation
import SQLKit

struct PostRow: Decodable, Sendable {
    var id: PostID
    var authorId: AccountID
    var text: String
    var audience: PostAudience
    var commentPolicy: CommentPolicy
    var locationName: String?
    var locationLat: Double?
    var locationLon: Double?
    var sharedPostId: PostID?
    /// Decoded once, when the row is read (the cache keeps rows; rendering reads these lists).
    var hashtagList: [String]
    var mentionList: [MentionedAccount]
    var reactionCount: Int64
    var commentCount: Int64
    var shareCount: Int64
    var editedAt: Int64?
    var deletedAt: Int64?
    var createdAt: Int64

    var author: AccountID { authorId }
    var original: PostID? { sharedPostId }
    var location: PostLocation? {
        guard let locationName, let locationLat, let locationLon else { return nil }
        return PostLocation(name: locationName, latitude: locationLat, longitude: locationLon)
    }

    private enum CodingKeys: String, CodingKey {
        case id, authorId, text, audience, commentPolicy, locationName, locationLat, locationLon, sharedPostId, hashtags, mentions
        case reactionCount, commentCount, shareCount, editedAt, deletedAt, createdAt
    }

    init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        id = try row.decode(PostID.self, forKey: .id)
        authorId = try row.decode(AccountID.self, forKey: .authorId)
        text = try row.decode(String.self, forKey: .text)
        audience = try row.decode(PostAudience.self, forKey: .audience)
        commentPolicy = try row.decode(CommentPolicy.self, forKey: .commentPolicy)
        locationName = try row.decodeIfPresent(String.self, forKey: .locationName)
        locationLat = try row.decodeIfPresent(Double.self, forKey: .locationLat)
        locationLon = try row.decodeIfPresent(Double.self, forKey: .locationLon)
        sharedPostId = try row.decodeIfPresent(PostID.self, forKey: .sharedPostId)
        hashtagList = JSONList.decode(try row.decode(String.self, forKey: .hashtags))
        mentionList = JSONList.decode(try row.decode(String.self, forKey: .mentions))
        reactionCount = try row.decode(Int64.self, forKey: .reactionCount)
        commentCount = try row.decode(Int64.self, forKey: .commentCount)
        shareCount = try row.decode(Int64.self, forKey: .shareCount)
        editedAt = try row.decodeIfPresent(Int64.self, forKey: .editedAt)
        deletedAt = try row.decodeIfPresent(Int64.self, forKey: .deletedAt)
        createdAt = try row.decode(Int64.self, forKey: .createdAt)
    }
}

/// Hashtags and mentions are stored as JSON lists beside the text, for rendering without a join.
enum JSONList {
    static func encode<Element: Encodable>(_ list: [Element]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode<Element: Decodable>(_ text: String) -> [Element] {
        (try? JSONDecoder().decode([Element].self, from: Data(text.utf8))) ?? []
    }
}

/// The SQL of posts and what hangs off them (media, revisions, hashtags, mentions). Every
/// statement that changes an existing post row announces it to the read path's cache (`PostRows`).
enum PostStore {
    static let cacheName = "posts"

    static func announceChange(of id: PostID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: id.description)
    }

    /// For writes to many posts at once (an account's erasure): one announcement empties the caches.
    static func announceChangesToMany(on db: any SQLDatabase) async throws {
        try await db.announceChange(to: cacheName, key: "*")
        try await db.announceChange(to: countsCacheName, key: "*")
        try await db.announceChange(to: recentCacheName, key: "*")
    }

    /// Every statement that adds or removes a live post announces its author to these caches
    /// (`AuthorPostCounts`, `AuthorRecentPosts`).
    static let countsCacheName = "post-counts"
    static let recentCacheName = "author-posts"

    static func announceLivePostsChange(of author: AccountID, on db: any SQLDatabase) async throws {
        try await db.announceChange(to: countsCacheName, key: author.description)
        try await db.announceChange(to: recentCacheName, key: author.description)
    }

    struct NewPost: Sendable {
        var id: PostID
        var author: AccountID
        var text: String
        var audience: PostAudience
        var commentPolicy: CommentPolicy
        var location: PostLocation?
        var sharedPostId: PostID?
        var hashtags: [String]
        var mentions: [MentionedAccount]
        var mediaIds: [MediaID]
        var now: Int64
    }

    static func insert(_ post: NewPost, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO posts (id, author_id, text, audience, comment_policy, location_name, location_lat, location_lon,
                shared_post_id, hashtags, mentions, reaction_count, comment_count, share_count, created_at, updated_at)
            VALUES (\(bind: post.id.rawValue), \(bind: post.author.rawValue), \(bind: post.text), \(bind: post.audience.rawValue),
                \(bind: post.commentPolicy.rawValue), \(bind: post.location?.name), \(bind: post.location?.latitude),
                \(bind: post.location?.longitude), \(bind: post.sharedPostId?.rawValue), \(bind: JSONList.encode(post.hashtags)),
                \(bind: JSONList.encode(post.mentions)), 0, 0, 0, \(bind: post.now), \(bind: post.now))
            """).run()
        for (position, media) in post.mediaIds.enumerated() {
            try await db.raw("""
                INSERT INTO post_media (post_id, position, media_id) VALUES (\(bind: post.id.rawValue), \(bind: position), \(bind: media.rawValue))
                """).run()
        }
        try await index(post.id, hashtags: post.hashtags, mentions: post.mentions, on: db)
        try await announceLivePostsChange(of: post.author, on: db)
    }

    /// Replaces what the post's hashtag and mention indexes hold.
    static func index(_ id: PostID, hashtags: [String], mentions: [MentionedAccount], on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM post_hashtags WHERE post_id = \(bind: id.rawValue)").run()
        try await db.raw("DELETE FROM post_mentions WHERE post_id = \(bind: id.rawValue)").run()
        for tag in hashtags {
            try await db.raw("INSERT INTO post_hashtags (tag, post_id) VALUES (\(bind: tag), \(bind: id.rawValue))").run()
        }
        for mention in mentions {
            try await db.raw("INSERT INTO post_mentions (account_id, post_id) VALUES (\(bind: mention.id.rawValue), \(bind: id.rawValue))").run()
        }
    }

    static func find(_ id: PostID, on db: any SQLDatabase, lock: String = "") async throws -> PostRow? {
        try await db.raw("SELECT * FROM posts WHERE id = \(bind: id.rawValue)\(unsafeRaw: lock)").first()?.decode(PostRow.self)
    }

    static func find(_ ids: [PostID], on db: any SQLDatabase) async throws -> [PostRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM posts WHERE id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(PostRow.self) }
    }

    static func update(_ id: PostID, text: String, audience: PostAudience, policy: CommentPolicy, hashtags: [String],
                       mentions: [MentionedAccount], editedAt: Int64?, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE posts SET text = \(bind: text), audience = \(bind: audience.rawValue), comment_policy = \(bind: policy.rawValue),
                hashtags = \(bind: JSONList.encode(hashtags)), mentions = \(bind: JSONList.encode(mentions)),
                edited_at = \(bind: editedAt), updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await announceChange(of: id, on: db)
    }

    static func addRevision(id: Int64, of post: PostRow, on db: any SQLDatabase) async throws {
        let written = post.editedAt ?? post.createdAt
        try await db.raw("""
            INSERT INTO post_revisions (id, post_id, text, audience, created_at)
            VALUES (\(bind: id), \(bind: post.id), \(bind: post.text), \(bind: post.audience.rawValue), \(bind: written))
            """).run()
    }

    struct RevisionRow: Decodable {
        var text: String
        var audience: PostAudience
        var createdAt: Int64
    }

    /// Live posts (shares included, every audience) per author, in one query; authors with none are left out.
    static func liveCounts(of authors: [AccountID], on db: any SQLDatabase) async throws -> [AccountID: Int] {
        guard !authors.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT author_id, COUNT(*) AS n FROM posts
            WHERE author_id IN (\(binds: authors.map(\.rawValue))) AND deleted_at IS NULL GROUP BY author_id
            """).all()
        var counts: [AccountID: Int] = [:]
        for row in rows {
            counts[try row.decode(column: "author_id", as: AccountID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    static func revisions(of id: PostID, on db: any SQLDatabase) async throws -> [RevisionRow] {
        try await db.raw("SELECT text, audience, created_at FROM post_revisions WHERE post_id = \(bind: id.rawValue) ORDER BY id DESC")
            .all().map { try $0.decode(RevisionRow.self) }
    }

    /// The text stays for moderation; the mentions leave the copy with the index, so no copy of an
    /// account's ID is left that its deletion (which finds mentions through the index) could miss.
    static func markDeleted(_ id: PostID, author: AccountID, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE posts SET deleted_at = \(bind: now), mentions = '[]', updated_at = \(bind: now) WHERE id = \(bind: id.rawValue)
            """).run()
        try await announceChange(of: id, on: db)
        try await announceLivePostsChange(of: author, on: db)
        try await index(id, hashtags: [], mentions: [], on: db)
    }

    /// Adds `delta` to one of the post's counters.
    static func bump(_ column: Counter, of id: PostID, by delta: Int, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE posts SET \(unsafeRaw: column.rawValue) = \(unsafeRaw: column.rawValue) + \(bind: delta) WHERE id = \(bind: id.rawValue)
            """).run()
        try await announceChange(of: id, on: db)
    }

    enum Counter: String {
        case reactions = "reaction_count"
        case comments = "comment_count"
        case shares = "share_count"
    }

    /// Media IDs per post, in their order.
    static func media(of ids: [PostID], on db: any SQLDatabase) async throws -> [Int64: [MediaID]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT post_id, media_id FROM post_media WHERE post_id IN (\(binds: ids.map(\.rawValue))) ORDER BY post_id, position
            """).all()
        var result: [Int64: [MediaID]] = [:]
        for row in rows {
            result[try row.decode(column: "post_id", as: Int64.self), default: []]
                .append(try row.decode(column: "media_id", as: MediaID.self))
        }
        return result
    }

    /// Live shares of `original`, newest first, before `before`.
    static func newestShares(of original: PostID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await newest(where: "shared_post_id = \(bind: original.rawValue)", before: before, limit: limit, on: db)
    }

    /// Live posts of `author` in one of `audiences`, newest first, before `before`.
    static func newest(by author: AccountID, audiences: [PostAudience], before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await newest(
            where: "author_id = \(bind: author.rawValue) AND audience IN (\(binds: audiences.map(\.rawValue)))", before: before, limit: limit, on: db)
    }

    /// Live public posts, newest first, before `before` and not older than `since`.
    static func liveIDs(after: Int64, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await db.raw("""
            SELECT id FROM posts WHERE id > \(bind: after) AND deleted_at IS NULL ORDER BY id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: PostID.self) }
    }

    static func liveCount(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM posts WHERE deleted_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func newestPublic(since: Int64, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await newest(
            where: "audience = \(bind: PostAudience.public.rawValue) AND created_at >= \(bind: since)", before: before, limit: limit, on: db)
    }

    /// Per hashtag, how many live posts published at or after `middle`, and between `start` and
    /// `middle`, used it — among the newest `window` uses, which bounds the cost of the count.
    static func hashtagUse(start: Int64, middle: Int64, window: Int, on db: any SQLDatabase) async throws -> [(tag: String, recent: Int, previous: Int)] {
        try await db.raw("""
            SELECT tag, SUM(CASE WHEN created_at >= \(bind: middle) THEN 1 ELSE 0 END) AS recent,
                SUM(CASE WHEN created_at < \(bind: middle) THEN 1 ELSE 0 END) AS previous
            FROM (
                SELECT h.tag AS tag, p.created_at AS created_at FROM post_hashtags h JOIN posts p ON p.id = h.post_id
                WHERE p.deleted_at IS NULL ORDER BY h.post_id DESC LIMIT \(bind: window)
            ) AS uses WHERE created_at >= \(bind: start) GROUP BY tag
            """).all().map {
            (try $0.decode(column: "tag", as: String.self), try $0.decode(column: "recent", as: Int.self), try $0.decode(column: "previous", as: Int.self))
        }
    }

    /// The newest live posts using any of `tags` published since `since`, at or below `top`, with the tag.
    static func newest(taggedWithAny tags: [String], since: Int64, atOrBelow top: Int64, limit: Int, on db: any SQLDatabase) async throws -> [(PostID, String)] {
        guard !tags.isEmpty else { return [] }
        let list = SQLList(tags.map { SQLBind($0) })
        return try await db.raw("""
            SELECT h.post_id AS post_id, h.tag AS tag FROM post_hashtags h JOIN posts p ON p.id = h.post_id
            WHERE h.tag IN (\(list)) AND h.post_id <= \(bind: top) AND p.created_at >= \(bind: since) AND p.deleted_at IS NULL
            ORDER BY h.post_id DESC LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "post_id", as: PostID.self), try $0.decode(column: "tag", as: String.self)) }
    }

    static func newest(taggedWith tag: String, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await newest(where: "id IN (SELECT post_id FROM post_hashtags WHERE tag = \(bind: tag))", before: before, limit: limit, on: db)
    }

    static func newest(mentioning account: AccountID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await newest(
            where: "id IN (SELECT post_id FROM post_mentions WHERE account_id = \(bind: account.rawValue))", before: before, limit: limit, on: db)
    }

    /// Live posts of any of `authors`, newest first, before `before`, with their authors. The
    /// authors go 500 to a statement (a home may follow thousands), each chunk's newest `limit`
    /// merged.
    static func newest(byAny authors: [AccountID], before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [(id: PostID, author: AccountID)] {
        var found: [(id: PostID, author: AccountID)] = []
        for start in stride(from: 0, to: authors.count, by: 500) {
            let chunk = authors[start..<min(start + 500, authors.count)].map(\.rawValue)
            found += try await db.raw("""
                SELECT id, author_id FROM posts
                WHERE deleted_at IS NULL AND id < \(bind: before ?? Int64.max) AND author_id IN (\(binds: chunk))
                ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map { (try $0.decode(column: "id", as: PostID.self), try $0.decode(column: "author_id", as: AccountID.self)) }
        }
        return Array(found.sorted { $0.id > $1.id }.prefix(limit))
    }

    /// The one query behind the lists above; the condition never leaves this file. It answers
    /// IDs only: the rows come from the read path's cache (`PostRows`).
    private static func newest(where condition: SQLQueryString, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await db.raw("""
            SELECT id FROM posts WHERE deleted_at IS NULL AND id < \(bind: before ?? Int64.max) AND \(condition)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: PostID.self) }
    }
}
