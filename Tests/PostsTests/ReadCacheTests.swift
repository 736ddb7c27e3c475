import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

/// The read path keeps post rows, accounts and the graph in memory. These prove that every write
/// a reader could notice shows on the next read, in this instance and, on PostgreSQL, in another.
@Suite("Posts: read caches")
struct ReadCacheTests {
    /// Writes go through `writer`, reads through `reader` (the same instance, or another one).
    static func nothingStale(writer: TestAPI, reader: TestAPI) async throws {
        let author = try await writer.register("cached_author")
        let viewer = try await writer.register("cached_viewer")
        let open = try await writer.publish(CreatePostRequest(text: "for everyone"), token: author.accessToken)
        let inner = try await writer.publish(CreatePostRequest(text: "for friends", audience: .friends), token: author.accessToken)
        let token = viewer.accessToken
        func status(_ post: Post) async throws -> Int { try await reader.get("/api/v1/posts/\(post.id)", token: token).status }
        func listed() async throws -> [PostID] {
            try await reader.get("/api/v1/accounts/\(author.account.id)/posts", token: token).decode(Page<Post>.self).items.map(\.id)
        }

        // Warm every cache a read uses, twice.
        for _ in 0..<2 {
            #expect(try await status(open) == 200)
            #expect(try await status(inner) == 404)
            #expect(try await listed() == [open.id])
        }
        // A new post shows at the top of the profile.
        let newer = try await writer.publish(CreatePostRequest(text: "newer"), token: author.accessToken)
        #expect(try await listed() == [newer.id, open.id])
        #expect(try await writer.delete("/api/v1/posts/\(newer.id)", token: author.accessToken).status == 204)
        #expect(try await listed() == [open.id])
        // A follow counts at once; a friendship opens the friends-only post.
        #expect(try await writer.post("/api/v1/accounts/\(author.account.id)/follow", token: token).status == 200)
        let counted = try await reader.get("/api/v1/posts/\(open.id)", token: token).decode(Post.self)
        #expect(counted.author.followersCount == 1)
        try await writer.befriend(viewer, author)
        #expect(try await status(inner) == 200)
        #expect(try await listed() == [inner.id, open.id])

        // An edit shows its new text; an audience change closes the post.
        #expect(try await writer.patch("/api/v1/posts/\(open.id)", UpdatePostRequest(text: "edited"), token: author.accessToken).status == 200)
        #expect(try await reader.get("/api/v1/posts/\(open.id)", token: token).decode(Post.self).text == "edited")
        #expect(try await writer.patch("/api/v1/posts/\(inner.id)", UpdatePostRequest(audience: .onlyMe), token: author.accessToken).status == 200)
        #expect(try await status(inner) == 404)
        #expect(try await listed() == [open.id])

        // A block hides the author's posts from the viewer, both ways, and ends follows and the
        // friendship; unblocking shows the public ones again.
        #expect(try await status(open) == 200)
        #expect(try await writer.post("/api/v1/accounts/\(viewer.account.id)/block", token: author.accessToken).status == 200)
        #expect(try await status(open) == 404)
        #expect(try await reader.get("/api/v1/accounts/\(author.account.id)", token: token).status == 404)
        #expect(try await writer.delete("/api/v1/accounts/\(viewer.account.id)/block", token: author.accessToken).status == 200)
        #expect(try await status(open) == 200)

        // A reaction and a save show in the viewer's own state and the counts.
        _ = try await writer.put("/api/v1/posts/\(open.id)/reaction", SetReactionRequest(kind: .wow), token: token)
        _ = try await writer.post("/api/v1/posts/\(open.id)/save", token: token)
        let mine = try await reader.get("/api/v1/posts/\(open.id)", token: token).decode(Post.self)
        #expect(mine.reactions.mine == .wow && mine.reactions.total == 1 && mine.saved == true)

        // A private account's public post closes to those who neither follow nor befriend it.
        #expect(try await writer.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: author.accessToken).status == 200)
        #expect(try await status(open) == 404)
        #expect(try await writer.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: false), token: author.accessToken).status == 200)

        // Deletion.
        #expect(try await status(open) == 200)
        #expect(try await writer.delete("/api/v1/posts/\(open.id)", token: author.accessToken).status == 204)
        #expect(try await status(open) == 404)
        #expect(try await listed() == [])
    }

    @Test("Follows, edits, audiences, blocks, reactions, privacy and deletion show on the next read")
    func sameInstance() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            try await app.waitForCacheListener()
            try await Self.nothingStale(writer: api, reader: api)
        }
    }

    @Test("A warm authenticated read of a post costs no statement")
    func warmReadIsFree() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            try await app.waitForCacheListener()
            let author = try await api.register("warm_author")
            let viewer = try await api.register("warm_viewer")
            let post = try await api.publish(CreatePostRequest(text: "hot"), token: author.accessToken)
            _ = try await api.put("/api/v1/posts/\(post.id)/reaction", SetReactionRequest(kind: .like), token: viewer.accessToken)
            #expect(try await api.get("/api/v1/posts/\(post.id)", token: viewer.accessToken).status == 200)
            // The live server's worker turns the reaction into a notice meanwhile.
            try await app.waitUntilQuiet()
            let before = app.kernel.database.statementsExecuted
            #expect(try await api.get("/api/v1/posts/\(post.id)", token: viewer.accessToken).status == 200)
            #expect(try await api.get("/api/v1/posts/\(post.id)").status == 200)
            let warm = app.kernel.database.statementsExecuted - before
            #expect(warm == 0, "\(warm) statements for two warm reads")
        }
    }

    @Test("Profile pages served from the recent-posts window equal the database's, past the window too; a warm first page costs no statement")
    func recentWindow() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            try await app.waitForCacheListener()
            let author = try await api.register("window_author")
            var published: [(id: PostID, audience: PostAudience)] = []
            // More than the window, mostly friends-only, so an anonymous viewer's pages reach past it.
            for index in 0..<75 {
                let audience: PostAudience = index % 4 == 0 ? .public : .friends
                let post = try await api.publish(CreatePostRequest(text: "post \(index)", audience: audience), token: author.accessToken)
                published.append((post.id, audience))
            }
            func pages(token: String?, limit: Int) async throws -> [PostID] {
                var ids: [PostID] = []
                var cursor: String?
                repeat {
                    let query = "limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await api.get("/api/v1/accounts/\(author.account.id)/posts?\(query)", token: token).decode(Page<Post>.self)
                    ids += page.items.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil
                return ids
            }
            let newestFirst = published.reversed()
            for limit in [20, 7, 40] {
                #expect(try await pages(token: author.accessToken, limit: limit) == newestFirst.map(\.id))
                #expect(try await pages(token: nil, limit: limit) == newestFirst.filter { $0.audience == .public }.map(\.id))
            }

            let path = "/api/v1/accounts/\(author.account.id)/posts?limit=20"
            #expect(try await api.get(path, token: author.accessToken).status == 200)
            let before = app.kernel.database.statementsExecuted
            #expect(try await api.get(path, token: author.accessToken).status == 200)
            #expect(app.kernel.database.statementsExecuted - before == 0)
        }
    }

    @Test("A write on one instance shows on another on its next read (PostgreSQL)")
    func otherInstance() async throws {
        try await TestApp.twoInstances { first, second in try await Self.nothingStale(writer: first, reader: second) }
    }
}
