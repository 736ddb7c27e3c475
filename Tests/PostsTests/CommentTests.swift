import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Posts: comments")
struct CommentTests {
    func comment(_ api: TestAPI, on post: PostID, _ text: String, replyingTo: CommentID? = nil, token: String) async throws -> Comment {
        let response = try await api.post("/api/v1/posts/\(post)/comments", CreateCommentRequest(text: text, inReplyToId: replyingTo), token: token)
        guard response.status == 201 else { throw PostTestFailure(description: "comment: \(response.status) \(response.text)") }
        return try response.decode(Comment.self)
    }

    @Test("Replies nest to depth 5; deeper answers hang at the fifth level and name what they answer")
    func nesting() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let post = try await api.publish(CreatePostRequest(text: "thread"), token: ada.accessToken)
            var chain: [Comment] = [try await comment(api, on: post.id, "level 1", token: bob.accessToken)]
            for level in 2...7 {
                chain.append(try await comment(api, on: post.id, "level \(level)", replyingTo: chain.last!.id, token: level % 2 == 0 ? ada.accessToken : bob.accessToken))
            }
            #expect(chain.map(\.depth) == [1, 2, 3, 4, 5, 5, 5])
            #expect(chain[5].parentId == chain[3].id && chain[5].inReplyToId == chain[4].id)
            #expect(chain[6].parentId == chain[3].id && chain[6].inReplyToId == chain[5].id)

            let tree = try await api.get("/api/v1/posts/\(post.id)/comments").decode(Page<Comment>.self)
            #expect(tree.items.count == 1)
            var node = tree.items[0]
            for _ in 2...4 { node = node.replies[0] }
            #expect(node.depth == 4 && node.replies.map(\.text) == ["level 5", "level 6", "level 7"])
            #expect(try await api.get("/api/v1/posts/\(post.id)", token: ada.accessToken).decode(Post.self).commentCount == 7)

            // A deleted comment with replies stays as a placeholder; a deleted leaf disappears.
            #expect(try await api.delete("/api/v1/comments/\(chain[1].id)", token: bob.accessToken).status == 403)
            #expect(try await api.delete("/api/v1/comments/\(chain[1].id)", token: ada.accessToken).status == 204)
            #expect(try await api.delete("/api/v1/comments/\(chain[6].id)", token: ada.accessToken).status == 204, "the post's author deletes others' comments")
            let after = try await api.get("/api/v1/posts/\(post.id)/comments").decode(Page<Comment>.self)
            let placeholder = after.items[0].replies[0]
            #expect(placeholder.isDeleted && placeholder.author == nil && placeholder.text.isEmpty && placeholder.replies.count == 1)
            var deepest = placeholder
            for _ in 3...4 { deepest = deepest.replies[0] }
            #expect(deepest.replies.map(\.text) == ["level 5", "level 6"])
            #expect(try await api.get("/api/v1/comments/\(chain[1].id)").status == 404)
            #expect(try await api.get("/api/v1/posts/\(post.id)", token: ada.accessToken).decode(Post.self).commentCount == 5)
            try await app.runJobs()
            #expect(try await TestAPI.eventCount(app, topic: "post.commented") == 7)
        }
    }

    @Test("Edit is the author's; top and newest order; answers only under the same post")
    func editAndOrder() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let post = try await api.publish(CreatePostRequest(text: "order"), token: ada.accessToken)
            let other = try await api.publish(CreatePostRequest(text: "elsewhere"), token: ada.accessToken)
            let quiet = try await comment(api, on: post.id, "quiet", token: bob.accessToken)
            let loud = try await comment(api, on: post.id, "loud", token: bob.accessToken)
            let newest = try await comment(api, on: post.id, "newest", token: bob.accessToken)
            _ = try await api.put("/api/v1/comments/\(quiet.id)/reaction", SetReactionRequest(kind: .love), token: ada.accessToken)
            _ = try await api.put("/api/v1/comments/\(quiet.id)/reaction", SetReactionRequest(kind: .like), token: bob.accessToken)
            _ = try await comment(api, on: post.id, "reply", replyingTo: loud.id, token: ada.accessToken)
            _ = try await api.put("/api/v1/comments/\(loud.id)/reaction", SetReactionRequest(kind: .wow), token: ada.accessToken)
            _ = try await api.put("/api/v1/comments/\(loud.id)/reaction", SetReactionRequest(kind: .wow), token: bob.accessToken)

            let top = try await api.get("/api/v1/posts/\(post.id)/comments?sort=top&limit=2").decode(Page<Comment>.self)
            #expect(top.items.map(\.id) == [loud.id, quiet.id])
            let rest = try await api.get("/api/v1/posts/\(post.id)/comments?sort=top&limit=2&cursor=\(top.nextCursor!)").decode(Page<Comment>.self)
            #expect(rest.items.map(\.id) == [newest.id] && rest.nextCursor == nil)
            let byTime = try await api.get("/api/v1/posts/\(post.id)/comments?sort=newest").decode(Page<Comment>.self)
            #expect(byTime.items.map(\.id) == [newest.id, loud.id, quiet.id])
            #expect(try await api.get("/api/v1/posts/\(post.id)/comments?sort=best").status == 422)

            let edited = try await api.patch("/api/v1/comments/\(quiet.id)", UpdateCommentRequest(text: "quieter @ada"), token: bob.accessToken).decode(Comment.self)
            #expect(edited.text == "quieter @ada" && edited.editedAt != nil && edited.mentions.map(\.id) == [ada.account.id])
            #expect(try await api.patch("/api/v1/comments/\(quiet.id)", UpdateCommentRequest(text: "mine"), token: ada.accessToken).status == 403)
            #expect(try await api.patch("/api/v1/comments/\(quiet.id)", UpdateCommentRequest(text: " "), token: bob.accessToken).status == 422)
            let crossed = try await api.post("/api/v1/posts/\(other.id)/comments", CreateCommentRequest(text: "x", inReplyToId: quiet.id), token: bob.accessToken)
            #expect(crossed.status == 422 && crossed.fieldErrors == ["in_reply_to_id"])
            #expect(try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "anon")).status == 401)
        }
    }

    @Test("Each post says who may comment", arguments: Platform.allCases)
    func policies(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ada = try await api.register("ada")
            let close = try await api.register("close")
            let stranger = try await api.register("stranger")
            if platform == .entativa {
                try await api.befriend(ada, close)
            } else {
                _ = try await api.post("/api/v1/accounts/\(ada.account.id)/follow", token: close.accessToken)
            }
            let media = try await api.readyImage(app, token: ada.accessToken)
            let limited: CommentPolicy = platform == .entativa ? .friends : .followers
            let post = try await api.publish(CreatePostRequest(text: "who may", mediaIds: [media], commentPolicy: limited), token: ada.accessToken)
            let form = CreateCommentRequest(text: "hi")
            #expect(try await api.post("/api/v1/posts/\(post.id)/comments", form, token: stranger.accessToken).status == 403)
            #expect(try await api.post("/api/v1/posts/\(post.id)/comments", form, token: close.accessToken).status == 201)
            #expect(try await api.post("/api/v1/posts/\(post.id)/comments", form, token: ada.accessToken).status == 201)
            _ = try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(commentPolicy: .nobody), token: ada.accessToken)
            #expect(try await api.post("/api/v1/posts/\(post.id)/comments", form, token: ada.accessToken).status == 403)
            let wrong: CommentPolicy = platform == .entativa ? .followers : .friends
            #expect(try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(commentPolicy: wrong), token: ada.accessToken).fieldErrors == ["comment_policy"])
        }
    }

    @Test("Comments by blocked accounts are hidden, and blocked accounts cannot comment")
    func blockedCommenters() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let viewer = try await api.register("viewer")
            let post = try await api.publish(CreatePostRequest(text: "open"), token: ada.accessToken)
            let bobs = try await comment(api, on: post.id, "bob speaks", token: bob.accessToken)
            _ = try await comment(api, on: post.id, "viewer answers", replyingTo: bobs.id, token: viewer.accessToken)
            _ = try await api.post("/api/v1/accounts/\(bob.account.id)/block", token: viewer.accessToken)
            let seen = try await api.get("/api/v1/posts/\(post.id)/comments", token: viewer.accessToken).decode(Page<Comment>.self)
            #expect(seen.items.count == 1 && seen.items[0].author == nil && seen.items[0].text.isEmpty && seen.items[0].replies.count == 1)
            #expect(try await api.get("/api/v1/comments/\(bobs.id)", token: viewer.accessToken).status == 404)
            #expect(try await api.get("/api/v1/comments/\(bobs.id)/reactions", token: viewer.accessToken).status == 404)
            _ = try await api.post("/api/v1/accounts/\(bob.account.id)/block", token: ada.accessToken)
            #expect(try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "let me"), token: bob.accessToken).status == 404)
        }
    }
}

@Suite("Posts: comment clean-up after blocks")
struct CommentCleanupTests {
    @Test("A post's author deletes a blocked account's comment; history shows only versions that reached the viewer")
    func deleteAfterBlock() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let troll = try await api.register("troll")
            let close = try await api.register("close")
            let post = try await api.publish(CreatePostRequest(text: "open"), token: ada.accessToken)
            let rude = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "rude"), token: troll.accessToken).decode(Comment.self)
            _ = try await api.post("/api/v1/accounts/\(troll.account.id)/block", token: ada.accessToken)
            #expect(try await api.delete("/api/v1/comments/\(rude.id)", token: close.accessToken).status == 403)
            #expect(try await api.delete("/api/v1/comments/\(rude.id)", token: ada.accessToken).status == 204)
            #expect(try await api.get("/api/v1/posts/\(post.id)/comments", token: close.accessToken).decode(Page<Comment>.self).items.isEmpty)

            _ = try await api.post("/api/v1/accounts/\(close.account.id)/close-friend", token: ada.accessToken)
            let secret = try await api.publish(CreatePostRequest(text: "secret draft", audience: .closeFriends), token: ada.accessToken)
            _ = try await api.patch("/api/v1/posts/\(secret.id)", UpdatePostRequest(text: "public words", audience: .public), token: ada.accessToken)
            let stranger = try await api.get("/api/v1/posts/\(secret.id)/history").decode(Page<PostRevision>.self).items
            #expect(stranger.map(\.text) == ["public words"])
            let friend = try await api.get("/api/v1/posts/\(secret.id)/history", token: close.accessToken).decode(Page<PostRevision>.self).items
            #expect(friend.map(\.text) == ["public words", "secret draft"])
        }
    }
}
