import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Posts: publishing, hashtags and mentions, edits, deletes")
struct PostTests {
    @Test("Entativa posts text; Vignette needs media; limits and audiences follow the network", arguments: Platform.allCases)
    func publishRules(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let textOnly = try await api.post("/api/v1/posts", CreatePostRequest(text: "Hello"), token: ada.accessToken)
            let longest = platform == .entativa ? 5_000 : 2_200
            let media = try await api.readyImage(app, token: ada.accessToken)
            if platform == .entativa {
                #expect(textOnly.status == 201)
                #expect(try await api.post("/api/v1/posts", CreatePostRequest(text: "  "), token: ada.accessToken).fieldErrors == ["text"])
            } else {
                #expect(textOnly.status == 422 && textOnly.fieldErrors == ["media_ids"])
            }
            let tooLong = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: String(repeating: "é", count: longest + 1), mediaIds: [media]), token: ada.accessToken)
            #expect(tooLong.status == 422 && tooLong.fieldErrors == ["text"])
            let wrongAudience: PostAudience = platform == .entativa ? .followers : .friends
            let audience = try await api.post("/api/v1/posts", CreatePostRequest(text: "x", mediaIds: [media], audience: wrongAudience), token: ada.accessToken)
            #expect(audience.fieldErrors == ["audience"])
            let badPlace = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: "x", mediaIds: [media], location: PostLocation(name: "", latitude: 91, longitude: 0)),
                token: ada.accessToken)
            #expect(Set(badPlace.fieldErrors) == ["location.name", "location.latitude"])
            let othersMedia = try await api.readyImage(app, token: bob.accessToken)
            let stolen = try await api.post("/api/v1/posts", CreatePostRequest(text: "mine?", mediaIds: [othersMedia]), token: ada.accessToken)
            #expect(stolen.status == 422 && stolen.fieldErrors == ["media_ids"])
            let eleven = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: "x", mediaIds: Array(repeating: media, count: 11)), token: ada.accessToken)
            #expect(eleven.fieldErrors.contains("media_ids"))
            #expect(try await api.post("/api/v1/posts", CreatePostRequest(text: "x", mediaIds: [media])).status == 401)

            let post = try await api.publish(
                CreatePostRequest(
                    text: String(repeating: "a", count: longest), mediaIds: [media], location: PostLocation(name: "Kigali", latitude: -1.95, longitude: 30.06),
                    audience: .public, commentPolicy: .everyone), token: ada.accessToken)
            #expect(post.media.map(\.id) == [media] && post.location?.name == "Kigali" && post.author.id == ada.account.id)
            // The media is now attached: its owner cannot delete it, nor use it twice.
            #expect(try await api.delete("/api/v1/media/\(media)", token: ada.accessToken).status == 409)
            let twice = try await api.post("/api/v1/posts", CreatePostRequest(text: "again", mediaIds: [media]), token: ada.accessToken)
            #expect(twice.fieldErrors == ["media_ids"])
            let read = try await api.get("/api/v1/posts/\(post.id)").decode(Post.self)
            #expect(read.id == post.id && read.saved == nil && read.sharedPost == nil)
        }
    }

    @Test("Hashtags and mentions are found Unicode-aware, linked and queryable")
    func hashtagsAndMentions() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("Bob_99")
            let eve = try await api.register("eve")
            _ = try await api.post("/api/v1/accounts/\(ada.account.id)/block", token: eve.accessToken)
            let text = "Coffee at the #café with @bob_99, @eve and @nobody_here. #日本語 #Cafe\u{301} #2024 e-mail me@ada.example #naïve"
            let post = try await api.publish(CreatePostRequest(text: text), token: ada.accessToken)
            #expect(post.hashtags == ["café", "日本語", "naïve"])
            #expect(post.mentions == [MentionedAccount(id: bob.account.id, username: "Bob_99")])
            // A coordinate too small for a 4-byte float once made PostgreSQL fail (found by schemathesis).
            let tiny = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: "here", location: PostLocation(name: "Null Island", latitude: -2e-62, longitude: 1e-300)),
                token: ada.accessToken)
            #expect(tiny.status == 201)

            for tag in ["caf%C3%A9", "CAF%C3%89", "%E6%97%A5%E6%9C%AC%E8%AA%9E"] {
                let page = try await api.get("/api/v1/hashtags/\(tag)/posts").decode(Page<Post>.self)
                #expect(page.items.map(\.id) == [post.id], "tag \(tag)")
            }
            #expect(try await api.get("/api/v1/hashtags/nothing/posts").decode(Page<Post>.self).items.isEmpty)
            let mentions = try await api.get("/api/v1/mentions", token: bob.accessToken).decode(Page<Post>.self)
            #expect(mentions.items.map(\.id) == [post.id])
            #expect(try await api.get("/api/v1/mentions", token: eve.accessToken).decode(Page<Post>.self).items.isEmpty)
            try await app.runJobs()
            #expect(try await TestAPI.eventCount(app, topic: "post.mentioned") == 1)
            #expect(try await TestAPI.eventCount(app, topic: "post.published") == 2)
        }
    }

    @Test("Edits keep a visible history; deletes remove the post from every read", arguments: Platform.allCases)
    func editAndDelete(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let media = try await api.readyImage(app, token: ada.accessToken)
            let post = try await api.publish(CreatePostRequest(text: "first #draft", mediaIds: [media]), token: ada.accessToken)
            #expect(post.editedAt == nil)
            let narrowed: PostAudience = platform == .entativa ? .friends : .followers
            let edited = try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(text: "second #final @bob"), token: ada.accessToken)
                .decode(Post.self)
            #expect(edited.text == "second #final @bob" && edited.editedAt != nil && edited.hashtags == ["final"] && edited.mentions.count == 1)
            _ = try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(audience: narrowed), token: ada.accessToken)
            let history = try await api.get("/api/v1/posts/\(post.id)/history", token: ada.accessToken).decode(Page<PostRevision>.self).items
            #expect(history.map(\.text) == ["second #final @bob", "second #final @bob", "first #draft"])
            #expect(history.map(\.audience) == [narrowed, .public, .public])
            #expect(try await api.get("/api/v1/hashtags/draft/posts").decode(Page<Post>.self).items.isEmpty)
            #expect(try await api.get("/api/v1/hashtags/final/posts", token: ada.accessToken).decode(Page<Post>.self).items.count == 1)
            // The narrowed post's media now go out only through signed URLs.
            let privateMedia = try await api.get("/api/v1/posts/\(post.id)", token: ada.accessToken).decode(Post.self).media[0]
            #expect(privateMedia.isPrivate && privateMedia.variants.allSatisfy { $0.url.contains("/media/s/") })

            #expect(try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(text: "mine now"), token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/posts/\(post.id)", token: bob.accessToken).status == 404)
            #expect(try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(audience: .public), token: ada.accessToken).status == 200)
            let publicURL = try await api.get("/api/v1/posts/\(post.id)").decode(Post.self).media[0].variants[0].url
            let path = String(publicURL[publicURL.range(of: "/media/")!.lowerBound...])
            #expect(try await api.get(path).status == 200)

            #expect(try await api.delete("/api/v1/posts/\(post.id)", token: ada.accessToken).status == 204)
            for path in ["/api/v1/posts/\(post.id)", "/api/v1/posts/\(post.id)/history", "/api/v1/posts/\(post.id)/comments"] {
                #expect(try await api.get(path, token: ada.accessToken).status == 404, "\(path)")
            }
            #expect(try await api.get("/api/v1/accounts/\(ada.account.id)/posts", token: ada.accessToken).decode(Page<Post>.self).items.isEmpty)
            #expect(try await api.get("/api/v1/hashtags/final/posts", token: ada.accessToken).decode(Page<Post>.self).items.isEmpty)
            #expect(try await api.get("/api/v1/mentions", token: bob.accessToken).decode(Page<Post>.self).items.isEmpty)
            #expect(try await api.get(path).status == 404, "a deleted post's media stay reachable")
            #expect(try await api.delete("/api/v1/posts/\(post.id)", token: ada.accessToken).status == 404)
            try await app.runJobs()
            #expect(try await TestAPI.eventCount(app, topic: "post.edited") == 3)
            #expect(try await TestAPI.eventCount(app, topic: "post.deleted") == 1)
        }
    }

    @Test("A profile's posts page by cursor, newest first")
    func profilePages() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            var ids: [PostID] = []
            for index in 0..<5 { ids.append(try await api.publish(CreatePostRequest(text: "post \(index)"), token: ada.accessToken).id) }
            let first = try await api.get("/api/v1/accounts/\(ada.account.id)/posts?limit=2")
            let page = try first.decode(Page<Post>.self)
            #expect(page.items.map(\.id) == [ids[4], ids[3]])
            #expect(first.headers[HTTPField.Name("Link")!]?.contains("rel=\"next\"") == true)
            let second = try await api.get("/api/v1/accounts/\(ada.account.id)/posts?limit=2&cursor=\(page.nextCursor!)").decode(Page<Post>.self)
            #expect(second.items.map(\.id) == [ids[2], ids[1]])
            #expect(try await api.get("/api/v1/accounts/\(ada.account.id)/posts?limit=0").status == 422)
            #expect(try await api.get("/api/v1/accounts/\(ada.account.id)/posts?cursor=abc").status == 422)
        }
    }
}
