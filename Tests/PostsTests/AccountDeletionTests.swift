import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@testable import Posts

@Suite("Posts: a deleted account's content")
struct PostsAccountDeletionTests {
    @Test("A deleted account's posts go with what hangs off them; its comments, reactions, shares, saves and mentions leave others' posts with exact counters")
    func contentGoes() async throws {
        try await TestApp.run { app, api in
            let gone = try await api.register("gone")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            // Gone's own post, with others' comment, reaction, save and share.
            let own = try await api.publish(CreatePostRequest(text: "mine, hi @bob"), token: gone.accessToken)
            _ = try await api.post("/api/v1/posts/\(own.id)/comments", CreateCommentRequest(text: "nice"), token: bob.accessToken)
            _ = try await api.put("/api/v1/posts/\(own.id)/reaction", SetReactionRequest(kind: .haha), token: cat.accessToken)
            _ = try await api.post("/api/v1/posts/\(own.id)/save", SavePostRequest(), token: bob.accessToken)
            let catsShare = try await api.post("/api/v1/posts/\(own.id)/share", SharePostRequest(text: nil, audience: nil), token: cat.accessToken)
                .decode(Post.self)

            // Bob's post, which gone mentioned, commented, answered, reacted to, shared and saved.
            let bobs = try await api.publish(CreatePostRequest(text: "hello @gone"), token: bob.accessToken)
            let top = try await api.post("/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "top"), token: bob.accessToken)
                .decode(Comment.self)
            let answered = try await api.post("/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "from gone"), token: gone.accessToken)
                .decode(Comment.self)
            _ = try await api.post(
                "/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "answer to gone", inReplyToId: answered.id), token: cat.accessToken)
            _ = try await api.post(
                "/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "leaf by gone", inReplyToId: top.id), token: gone.accessToken)
            _ = try await api.post("/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "hey @gone"), token: cat.accessToken)
            _ = try await api.put("/api/v1/posts/\(bobs.id)/reaction", SetReactionRequest(kind: .love), token: gone.accessToken)
            _ = try await api.put("/api/v1/posts/\(bobs.id)/reaction", SetReactionRequest(kind: .love), token: cat.accessToken)
            _ = try await api.put("/api/v1/comments/\(top.id)/reaction", SetReactionRequest(kind: .wow), token: gone.accessToken)
            _ = try await api.put("/api/v1/comments/\(answered.id)/reaction", SetReactionRequest(kind: .like), token: bob.accessToken)
            _ = try await api.post("/api/v1/posts/\(bobs.id)/share", SharePostRequest(text: "look", audience: nil), token: gone.accessToken)
            let collection = try await api.post("/api/v1/collections", CollectionForm(name: "keep"), token: gone.accessToken).decode(SavedCollection.self)
            _ = try await api.post("/api/v1/posts/\(bobs.id)/save", SavePostRequest(collectionId: collection.id), token: gone.accessToken)
            try await app.runJobs()
            #expect(try await DataInvariants.counterDrift(in: app.kernel.database).isEmpty)

            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: gone.accessToken).status == 202)
            // Gone from every read at once, before any job runs.
            #expect(try await api.get("/api/v1/posts/\(own.id)", token: bob.accessToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/\(gone.account.id)/posts").status == 404)
            let reactors = try await api.get("/api/v1/posts/\(bobs.id)/reactions", token: bob.accessToken).decode(Page<Reaction>.self)
            #expect(reactors.items.map(\.account.id) == [cat.account.id])
            var thread = try await api.get("/api/v1/posts/\(bobs.id)/comments?sort=newest", token: bob.accessToken).decode(Page<Comment>.self)
            #expect(!thread.items.flatMap { [$0] + $0.replies }.contains { $0.author?.id == gone.account.id })
            let shares = try await api.get("/api/v1/posts/\(bobs.id)/shares", token: bob.accessToken).decode(Page<Post>.self)
            #expect(shares.items.isEmpty)

            try await app.runJobs()
            let db = app.kernel.database.sql
            let id = gone.account.id.rawValue
            for (table, column) in [
                ("posts", "author_id"), ("comments", "author_id"), ("reactions", "account_id"), ("shares", "account_id"), ("saves", "account_id"),
                ("collections", "owner_id"), ("post_mentions", "account_id"), ("comment_mentions", "account_id"),
            ] {
                let left = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: id)").first()
                #expect(try left?.decode(column: "n", as: Int.self) == 0, "\(table)")
            }
            for table in ["posts", "comments"] {
                let named = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE mentions LIKE \(bind: "%\(id)%")").first()
                #expect(try named?.decode(column: "n", as: Int.self) == 0, "\(table).mentions")
            }
            let drift = try await DataInvariants.counterDrift(in: app.kernel.database)
            #expect(drift.isEmpty, "\(drift)")

            // The answered comment stays as a placeholder for cat's answer; the unanswered one is gone.
            thread = try await api.get("/api/v1/posts/\(bobs.id)/comments?sort=newest", token: bob.accessToken).decode(Page<Comment>.self)
            let placeholder = try #require(thread.items.first { $0.id == answered.id })
            #expect(placeholder.isDeleted && placeholder.author == nil && placeholder.text.isEmpty)
            #expect(placeholder.replies.map(\.text) == ["answer to gone"])
            #expect(thread.items.first { $0.id == top.id }?.replies.isEmpty == true)
            let post = try await api.get("/api/v1/posts/\(bobs.id)", token: bob.accessToken).decode(Post.self)
            #expect(post.reactions.total == 1 && post.shareCount == 0 && post.commentCount == 3 && post.mentions.isEmpty)
            // Cat's share of gone's post stays cat's, without the original.
            let share = try await api.get("/api/v1/posts/\(catsShare.id)", token: cat.accessToken).decode(Post.self)
            #expect(share.isShare && share.sharedPost == nil)
            #expect(try await api.get("/api/v1/saved", token: bob.accessToken).decode(Page<Post>.self).items.isEmpty)
        }
    }

    @Test("Comments written before the comment_mentions index are indexed by the migration; soft-deleted content loses its mention copies")
    func mentionBackfill() async throws {
        try await TestApp.run { app, api in
            let bob = try await api.register("bob")
            let named = try await api.register("named")
            let post = try await api.publish(CreatePostRequest(text: "hi @named"), token: bob.accessToken)
            let live = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "hey @named"), token: bob.accessToken)
                .decode(Comment.self)
            let db = app.kernel.database.sql
            // As before the migration: no index rows, and a soft-deleted post still holding its copy.
            try await db.raw("DELETE FROM comment_mentions").run()
            try await db.raw("UPDATE posts SET deleted_at = 1 WHERE id = \(bind: post.id.rawValue)").run()
            try await AddAccountLookups.backfill(on: db)
            let indexed = try await db.raw("SELECT comment_id FROM comment_mentions WHERE account_id = \(bind: named.account.id.rawValue)").all()
                .map { try $0.decode(column: "comment_id", as: Int64.self) }
            #expect(indexed == [live.id.rawValue])
            let copy = try await db.raw("SELECT mentions FROM posts WHERE id = \(bind: post.id.rawValue)").first()?.decode(column: "mentions", as: String.self)
            #expect(copy == "[]")
        }
    }
}
