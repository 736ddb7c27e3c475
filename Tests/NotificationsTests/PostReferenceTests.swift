import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@testable import Notifications

@Suite("Notifications find their post by an indexed column")
struct PostReferenceTests {
    @Test("Every notice about a post or its comments names the post; deleting the post deletes them, older rows filled from their JSON too")
    func deletedByReference() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let carol = try await api.register("carol")
            let post = try await api.textPost("hello @bob", token: alice.accessToken)
            let comment = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "first"), token: bob.accessToken)
                .decode(EntativaModels.Comment.self)
            _ = try await api.post(
                "/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "answer", inReplyToId: comment.id), token: carol.accessToken)
            _ = try await api.request(.put, "/api/v1/comments/\(comment.id)/reaction", json: SetReactionRequest(kind: .wow), token: carol.accessToken)
            _ = try await api.post("/api/v1/posts/\(post.id)/share", SharePostRequest(text: nil, audience: nil), token: carol.accessToken)
            try await api.react(post.id, token: carol.accessToken)
            try await app.runJobs()

            let db = app.kernel.database.sql
            let stored = try await db.raw("SELECT type, post_id FROM notifications ORDER BY type").all()
                .map { (try $0.decode(column: "type", as: String.self), try $0.decode(column: "post_id", as: Int64?.self)) }
            #expect(Set(stored.map(\.0)) == ["comment", "comment_reaction", "mention", "reaction", "reply", "share"])
            #expect(stored.allSatisfy { $0.1 == post.id.rawValue })

            // A row written before the column existed, its JSON spelled with spaces: the backfill reads
            // it as JSON, where the old `LIKE '%"post_id":"…"%'` would have missed it.
            let group = try #require(try await db.raw("SELECT group_id FROM notifications WHERE type = 'reply'").first()?
                .decode(column: "group_id", as: Int64.self))
            try await db.raw("""
                INSERT INTO notifications (id, account_id, group_id, type, actor_id, target_kind, target_id, object_kind, object_id, data,
                    dedupe_key, created_at)
                VALUES (1, \(bind: bob.account.id.rawValue), \(bind: group), 'reply', \(bind: carol.account.id.rawValue), 'comment',
                    \(bind: comment.id.description), '', '', \(bind: "{\"post_id\": \"\(post.id)\", \"kind\": \"x\"}"), 'legacy', 0)
                """).run()
            try await AddNotificationPostReference.backfill(on: db)
            #expect(try await db.raw("SELECT post_id FROM notifications WHERE id = 1").first()?.decode(column: "post_id", as: Int64?.self) == post.id.rawValue)

            #expect(try await api.delete("/api/v1/posts/\(post.id)", token: alice.accessToken).status == 204)
            try await app.runJobs()
            #expect(try await db.raw("SELECT COUNT(*) AS n FROM notifications").first()?.decode(column: "n", as: Int.self) == 0)
            #expect(try await db.raw("SELECT COUNT(*) AS n FROM notification_groups").first()?.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("Finding a post's notices uses indexes, not a scan of the table")
    func indexedLookup() async throws {
        try await TestApp.run { app, _ in
            let condition = NotificationStore.about(post: PostID(rawValue: 42))
            let plan: String = try await app.kernel.database.transaction { db in
                if app.kernel.database.engine == .postgres {
                    // Tiny tables are cheaper to scan; forbid that to see whether an index can serve.
                    try await db.raw("SET LOCAL enable_seqscan = off").run()
                    return try await db.raw("EXPLAIN SELECT DISTINCT account_id FROM notifications WHERE \(condition)").all()
                        .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
                }
                return try await db.raw("EXPLAIN QUERY PLAN SELECT DISTINCT account_id FROM notifications WHERE \(condition)").all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
            }
            #expect(!plan.contains("Seq Scan") && !plan.contains("SCAN notifications"), "\(plan)")
        }
    }
}
