import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Posts: reactions")
struct ReactionTests {
    @Test("Vignette likes; Entativa's six kinds are one per account, changeable and removable", arguments: Platform.allCases)
    func kinds(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let media = try await api.readyImage(app, token: ada.accessToken)
            let post = try await api.publish(CreatePostRequest(text: "react", mediaIds: [media]), token: ada.accessToken)
            let path = "/api/v1/posts/\(post.id)/reaction"
            let liked = try await api.put(path, SetReactionRequest(kind: .like), token: bob.accessToken).decode(ReactionSummary.self)
            #expect(liked.total == 1 && liked.counts == ["like": 1] && liked.mine == .like)
            let love = try await api.put(path, SetReactionRequest(kind: .love), token: bob.accessToken)
            if platform == .vignette {
                #expect(love.status == 422 && love.fieldErrors == ["kind"])
            } else {
                let changed = try love.decode(ReactionSummary.self)
                #expect(changed.total == 1 && changed.counts == ["love": 1] && changed.mine == .love)
            }
            _ = try await api.put(path, SetReactionRequest(kind: .like), token: ada.accessToken)
            let seen = try await api.get("/api/v1/posts/\(post.id)", token: ada.accessToken).decode(Post.self)
            #expect(seen.reactions.total == 2 && seen.reactions.mine == .like)
            let reactors = try await api.get("/api/v1/posts/\(post.id)/reactions").decode(Page<Reaction>.self)
            #expect(Set(reactors.items.map(\.account.id)) == [ada.account.id, bob.account.id])
            let likers = try await api.get("/api/v1/posts/\(post.id)/reactions?kind=like").decode(Page<Reaction>.self)
            #expect(likers.items.count == (platform == .vignette ? 2 : 1))
            #expect(try await api.get("/api/v1/posts/\(post.id)/reactions?kind=meh").status == 422)

            let removed = try await api.delete(path, token: bob.accessToken).decode(ReactionSummary.self)
            #expect(removed.total == 1 && removed.mine == nil)
            #expect(try await api.delete(path, token: bob.accessToken).decode(ReactionSummary.self).total == 1)
            #expect(try await api.put(path, SetReactionRequest(kind: .like)).status == 401)
            #expect(try await api.put("/api/v1/posts/99999/reaction", SetReactionRequest(kind: .like), token: bob.accessToken).status == 404)
            try await app.runJobs()
            #expect(try await TestAPI.eventCount(app, topic: "post.reacted") == (platform == .vignette ? 2 : 3))
        }
    }

    @Test("Counters stay exact with 50 concurrent reactors changing and removing their reactions")
    func concurrentReactors() async throws {
        try await TestApp.run { app, api in
            let author = try await api.register("author")
            let post = try await api.publish(CreatePostRequest(text: "popular"), token: author.accessToken)
            let comment = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "first"), token: author.accessToken)
                .decode(Comment.self)
            var reactors: [AuthTokens] = []
            for index in 0..<50 { reactors.append(try await api.register("fan\(index)")) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, reactor) in reactors.enumerated() {
                    group.addTask {
                        let kind: ReactionKind = index % 2 == 0 ? .like : .haha
                        for path in ["/api/v1/posts/\(post.id)/reaction", "/api/v1/comments/\(comment.id)/reaction"] {
                            let answer = try await api.put(path, SetReactionRequest(kind: kind), token: reactor.accessToken)
                            #expect(answer.status == 200, "\(answer.text)")
                        }
                        _ = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "me too \(index)"), token: reactor.accessToken)
                    }
                }
                try await group.waitForAll()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, reactor) in reactors.enumerated() where index < 20 {
                    group.addTask {
                        let path = "/api/v1/posts/\(post.id)/reaction"
                        // Checked, so an overloaded run says which request failed rather than miscounting.
                        let answer = index < 10
                            ? try await api.delete(path, token: reactor.accessToken)
                            : try await api.put(path, SetReactionRequest(kind: .wow), token: reactor.accessToken)
                        #expect((200...204).contains(answer.status), "\(answer.status) \(answer.text)")
                    }
                }
                try await group.waitForAll()
            }
            let seen = try await api.get("/api/v1/posts/\(post.id)").decode(Post.self)
            let rows = try await app.kernel.database.sql.raw("""
                SELECT kind, COUNT(*) AS n FROM reactions WHERE target_type = 'post' AND target_id = \(bind: post.id.rawValue) GROUP BY kind
                """).all()
            var actual: [String: Int] = [:]
            for row in rows { actual[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            #expect(seen.reactions.total == 40 && seen.reactions.counts == actual)
            #expect(actual == ["like": 15, "haha": 15, "wow": 10])
            let stored = try await app.kernel.database.sql.raw("SELECT reaction_count, comment_count FROM posts WHERE id = \(bind: post.id.rawValue)").first()
            #expect(try stored?.decode(column: "reaction_count", as: Int.self) == 40)
            #expect(seen.commentCount == 51)
            #expect(try stored?.decode(column: "comment_count", as: Int.self) == 51)
            let onComment = try await api.get("/api/v1/comments/\(comment.id)").decode(Comment.self)
            #expect(onComment.reactions.total == 50)
        }
    }

    @Test("One account's racing reactions count once, whichever lands last")
    func sameAccountRaces() async throws {
        try await TestApp.run(platform: .entativa) { app, api in
            let author = try await api.register("author")
            let fan = try await api.register("fan")
            let post = try await api.publish(CreatePostRequest(text: "race"), token: author.accessToken)
            let path = "/api/v1/posts/\(post.id)/reaction"
            let kinds: [ReactionKind] = [.like, .haha, .wow, .love, .like, .sad]
            try await withThrowingTaskGroup(of: Int.self) { group in
                for kind in kinds {
                    group.addTask { try await api.put(path, SetReactionRequest(kind: kind), token: fan.accessToken).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            let seen = try await api.get("/api/v1/posts/\(post.id)", token: fan.accessToken).decode(Post.self)
            let counts = try await app.kernel.database.sql.raw(
                "SELECT count FROM reaction_counts WHERE target_type = 'post' AND target_id = \(bind: post.id.rawValue)"
            ).all().map { try $0.decode(column: "count", as: Int.self) }
            #expect(seen.reactions.total == 1 && seen.reactions.counts.values.reduce(0, +) == 1)
            #expect(counts.reduce(0, +) == 1)
            #expect(seen.reactions.mine.map { kinds.contains($0) } == true)
        }
    }

    @Test("Who reacted leaves out accounts hidden from the viewer, and pages")
    func reactorsList() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let viewer = try await api.register("viewer")
            let post = try await api.publish(CreatePostRequest(text: "list"), token: ada.accessToken)
            var names: [AccountID] = []
            for index in 0..<3 {
                let fan = try await api.register("fan\(index)")
                names.append(fan.account.id)
                _ = try await api.put("/api/v1/posts/\(post.id)/reaction", SetReactionRequest(kind: .like), token: fan.accessToken)
                if index == 0 { _ = try await api.post("/api/v1/accounts/\(viewer.account.id)/block", token: fan.accessToken) }
            }
            let page = try await api.get("/api/v1/posts/\(post.id)/reactions?limit=1", token: viewer.accessToken).decode(Page<Reaction>.self)
            var seen = page.items.map(\.account.id)
            var cursor = page.nextCursor
            while let next = cursor {
                let more = try await api.get("/api/v1/posts/\(post.id)/reactions?limit=1&cursor=\(next)", token: viewer.accessToken).decode(Page<Reaction>.self)
                seen += more.items.map(\.account.id)
                cursor = more.nextCursor
            }
            #expect(Set(seen) == [names[1], names[2]])
        }
    }
}
