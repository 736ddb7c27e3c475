import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Feed
import Testing

@Suite("Feed: home timeline")
struct HomeTimelineTests {
    @Test("A home shows followed accounts' posts, friends' posts and my own, newest first; shares as shares; never strangers'")
    func whatAHomeShows() async throws {
        let platform = Platform.entativa
        try await TestApp.run(platform: platform) { app, api in
            let reader = try await api.register("reader")
            let followed = try await api.register("followed")
            let stranger = try await api.register("stranger")
            try await api.follow(followed.account.id, token: reader.accessToken)
            _ = try await api.publish("followed one", token: followed.accessToken)
            _ = try await api.publish("stranger's", token: stranger.accessToken)
            let original = try await api.publish("stranger shared", token: stranger.accessToken)
            _ = try await api.publish("followed two", token: followed.accessToken)
            _ = try await api.publish("my own", token: reader.accessToken)
            let share = try await api.post("/api/v1/posts/\(original.id)/share", SharePostRequest(text: "look"), token: followed.accessToken)
            #expect(share.status == 201)
            var expected = ["look", "my own", "followed two", "followed one"]
            if platform == .entativa {
                let friend = try await api.register("friend")
                try await api.befriend(reader, friend)
                _ = try await api.publish("friend's", audience: .friends, token: friend.accessToken)
                expected.insert("friend's", at: 0)
            }
            try await app.runJobs()
            let home = try await api.wholeHome(token: reader.accessToken)
            #expect(home.map(\.text) == expected)
            let shared = try #require(home.first { $0.text == "look" })
            #expect(shared.isShare && shared.sharedPost?.id == original.id)
            // The stranger's own posts stay out although one of them is shared in.
            #expect(!home.contains { $0.text == "stranger's" })
        }
    }

    @Test("Mutes, unfollows, blocks, deletes and 'only me' take posts out; unmuting and following bring them back")
    func takingOut() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let author = try await api.register("author")
            let other = try await api.register("other")
            _ = try await api.publish("before the follow", token: author.accessToken)
            try await api.follow(author.account.id, token: reader.accessToken)
            try await api.follow(other.account.id, token: reader.accessToken)
            try await app.runJobs()
            // The follow copied the author's recent posts in.
            #expect(try await api.homeTexts(token: reader.accessToken) == ["before the follow"])
            let kept = try await api.publish("kept", token: author.accessToken)
            let removed = try await api.publish("deleted later", token: author.accessToken)
            let narrowed = try await api.publish("only me later", token: author.accessToken)
            _ = try await api.publish("other's", token: other.accessToken)
            try await app.runJobs()
            #expect(try await api.homeTexts(token: reader.accessToken) == ["other's", "only me later", "deleted later", "kept", "before the follow"])

            #expect(try await api.delete("/api/v1/posts/\(removed.id)", token: author.accessToken).status == 204)
            #expect(try await api.patch("/api/v1/posts/\(narrowed.id)", UpdatePostRequest(audience: .onlyMe), token: author.accessToken).status == 200)
            // Gone at once, before any job ran: every read applies the visibility rule.
            #expect(try await api.homeTexts(token: reader.accessToken) == ["other's", "kept", "before the follow"])
            try await app.runJobs()
            #expect(try await api.homeTexts(token: author.accessToken) == ["only me later", "kept", "before the follow"])

            // A mute acts at once and takes the entries out; unmuting brings them back.
            #expect(try await api.post("/api/v1/accounts/\(author.account.id)/mute", token: reader.accessToken).status == 200)
            #expect(try await api.homeTexts(token: reader.accessToken) == ["other's"])
            let entriesBefore = try await app.homeEntries(of: reader.account.id)
            try await app.runJobs()
            #expect(try await app.homeEntries(of: reader.account.id) < entriesBefore)
            #expect(try await api.delete("/api/v1/accounts/\(author.account.id)/mute", token: reader.accessToken).status == 200)
            try await app.runJobs()
            #expect(try await api.homeTexts(token: reader.accessToken) == ["other's", "kept", "before the follow"])

            // Unfollowing and blocking take an author out; the author's home loses a blocked reader too.
            #expect(try await api.delete("/api/v1/accounts/\(other.account.id)/follow", token: reader.accessToken).status == 200)
            #expect(try await api.homeTexts(token: reader.accessToken) == ["kept", "before the follow"])
            try await api.follow(reader.account.id, token: author.accessToken)
            _ = try await api.publish("reader's", token: reader.accessToken)
            try await app.runJobs()
            #expect(try await api.homeTexts(token: author.accessToken).contains("reader's"))
            #expect(try await api.post("/api/v1/accounts/\(author.account.id)/block", token: reader.accessToken).status == 200)
            #expect(try await api.homeTexts(token: reader.accessToken) == ["reader's"])
            #expect(try await !api.homeTexts(token: author.accessToken).contains("reader's"))
            try await app.runJobs()
            #expect(try await app.homeEntries(of: author.account.id) == 3)  // "kept", "only me later", "before the follow"
            _ = kept
        }
    }

    /// The same graph and posts on a server that pushes (the default) and one that pulls every
    /// author (threshold 0): every reader's every page is the same.
    @Test("Fan-out and pull give the same timeline on a hand-built graph of follows and friendships")
    func fanOutEqualsPull() async throws {
        let platform = Platform.entativa
        var timelines: [[String: [String]]] = []
        for threshold in [10_000, 0] {
            let collected = Collected()
            try await TestApp.run(platform: platform, configure: { $0.feed.fanOutThreshold = threshold }) { app, api in
                var accounts: [AuthTokens] = []
                for index in 0..<6 { accounts.append(try await api.register("member\(index)")) }
                // 0 follows 1, 2, 3; 1 follows 0 and 2; 2 follows 3; 3 follows nobody; 4 follows everyone; 5 nobody.
                let follows = [(0, 1), (0, 2), (0, 3), (1, 0), (1, 2), (2, 3), (4, 0), (4, 1), (4, 2), (4, 3), (4, 5)]
                for (reader, author) in follows { try await api.follow(accounts[author].account.id, token: accounts[reader].accessToken) }
                if platform == .entativa { try await api.befriend(accounts[5], accounts[3]) }
                // The follows are reconciled before anything is published: with threshold 0 no
                // post is then ever copied, as each author is pulled from their first post on.
                try await app.runJobs()
                let audiences: [PostAudience] = platform == .entativa ? [.public, .friends, .onlyMe] : [.public, .followers, .onlyMe]
                for round in 0..<4 {
                    for (index, account) in accounts.enumerated() {
                        let audience = audiences[(round + index) % audiences.count]
                        _ = try await api.publish("post \(round)-\(index) \(audience.rawValue)", audience: audience, token: account.accessToken)
                    }
                    try await app.runJobs()
                }
                var homes: [String: [String]] = [:]
                for (index, account) in accounts.enumerated() {
                    homes["member\(index)"] = try await api.homeTexts(token: account.accessToken, limit: 3)
                }
                if threshold == 0 {
                    for account in accounts { #expect(try await app.homeEntries(of: account.account.id) <= 4) }
                }
                await collected.set(homes)
            }
            timelines.append(await collected.value)
        }
        #expect(timelines[0] == timelines[1])
        #expect(timelines[0]["member4"]?.isEmpty == false)
    }

    @Test("Authors at the threshold are pulled, not pushed, and still show; paging reaches past the entries to the first post")
    func pullAndDepth() async throws {
        try await TestApp.run(configure: { $0.feed.fanOutThreshold = 2; $0.feed.backfillPosts = 3 }) { app, api in
            let big = try await api.register("big")
            let small = try await api.register("small")
            let reader = try await api.register("reader")
            let fan = try await api.register("fan")
            for index in 0..<12 { _ = try await api.publish("small \(index)", token: small.accessToken) }
            try await app.runJobs()
            try await api.follow(small.account.id, token: reader.accessToken)
            try await api.follow(big.account.id, token: reader.accessToken)
            try await api.follow(big.account.id, token: fan.accessToken)
            try await app.runJobs()
            // The follow copied three posts; the other nine come from the author when paging reaches them.
            #expect(try await app.homeEntries(of: reader.account.id) == 3)
            #expect(try await api.homeTexts(token: reader.accessToken, limit: 5) == (0..<12).reversed().map { "small \($0)" })
            _ = try await api.publish("from the big one", token: big.accessToken)
            try await app.runJobs()
            #expect(try await app.homeEntries(of: reader.account.id) == 3)
            #expect(try await api.homeTexts(token: reader.accessToken, limit: 5).first == "from the big one")
            #expect(try await api.homeTexts(token: fan.accessToken) == ["from the big one"])
        }
    }

    @Test("A warm first page of a home costs no statement; a new post pushed into it still shows at once")
    func warmHomeIsFree() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            try await app.waitForCacheListener()
            let reader = try await api.register("warm_reader")
            let author = try await api.register("warm_author")
            try await api.follow(author.account.id, token: reader.accessToken)
            for index in 0..<3 { _ = try await api.publish("warm \(index)", token: author.accessToken) }
            try await app.runJobs()
            try await app.waitUntilQuiet()
            #expect(try await app.homeEntries(of: reader.account.id) == 3)
            for order in ["chronological", "engagement", "ranked"] {
                func page() async throws -> [String] {
                    let response = try await api.get("/api/v1/timelines/home?order=\(order)", token: reader.accessToken)
                    return try response.decode(HomePage.self).items.map(\.text)
                }
                #expect(try await page().count == 3)
                try await app.waitUntilQuiet()
                let before = app.kernel.database.statementsExecuted
                #expect(try await page().count == 3)
                let warm = app.kernel.database.statementsExecuted - before
                #expect(warm == 0, "\(warm) statements for a warm \(order) home page")
            }
            _ = try await api.publish("warm 3", token: author.accessToken)
            try await app.runJobs()
            #expect(try await api.homeTexts(token: reader.accessToken).first == "warm 3")
        }
    }

    /// In router mode the caches work on SQLite (on PostgreSQL they wait for a listener only a
    /// live server runs; `warmHomeIsFree` covers that path), and no background service runs, so
    /// each step's jobs are exactly the ones `runJobs` runs.
    @Test("A ranked first page kept per reader follows every change: close-friends listings, unfollows, deletes and new posts")
    func keptRankedWindow() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("kept_reader")
            let first = try await api.register("kept_first")
            let second = try await api.register("kept_second")
            try await api.follow(first.account.id, token: reader.accessToken)
            try await api.follow(second.account.id, token: reader.accessToken)
            let gone = try await api.publish("first public", token: first.accessToken)
            _ = try await api.publish("first close", audience: .closeFriends, token: first.accessToken)
            _ = try await api.publish("second public", token: second.accessToken)
            func ranked() async throws -> Set<String> {
                try await app.runJobs()
                let response = try await api.get("/api/v1/timelines/home?order=ranked", token: reader.accessToken)
                return Set(try response.decode(HomePage.self).items.map(\.text))
            }
            #expect(try await ranked() == ["first public", "second public"])
            #expect(try await ranked() == ["first public", "second public"])
            #expect(try await api.post("/api/v1/accounts/\(reader.account.id)/close-friend", token: first.accessToken).status == 200)
            #expect(try await ranked() == ["first public", "first close", "second public"])
            #expect(try await api.delete("/api/v1/accounts/\(second.account.id)/follow", token: reader.accessToken).status == 200)
            #expect(try await ranked() == ["first public", "first close"])
            #expect(try await api.delete("/api/v1/posts/\(gone.id)", token: first.accessToken).status == 204)
            #expect(try await ranked() == ["first close"])
            _ = try await api.publish("first new", token: first.accessToken)
            #expect(try await ranked() == ["first close", "first new"])
        }
    }

    /// The reader's entries are s0–s59 (copied in full by the follow). Big posts p0–p9 while
    /// pulled (reader and fan follow it: the threshold of 2), then the fan leaves and big's next
    /// post is pushed. p0–p9 were never pushed; had readers stopped pulling big the moment it
    /// fell below the threshold, they would be gone from every page (newer than s0, so the read
    /// past the entries never reaches them).
    @Test("An author who falls below the threshold keeps the posts readers pulled while it was above")
    func fallingBelowTheThreshold() async throws {
        try await TestApp.run(configure: { $0.feed.fanOutThreshold = 2; $0.feed.backfillPosts = 60 }) { app, api in
            let small = try await api.register("small")
            let big = try await api.register("big")
            let reader = try await api.register("reader")
            let fan = try await api.register("fan")
            for index in 0..<60 { _ = try await api.publish("s\(index)", token: small.accessToken) }
            try await app.runJobs()
            try await api.follow(small.account.id, token: reader.accessToken)
            try await api.follow(big.account.id, token: reader.accessToken)
            try await api.follow(big.account.id, token: fan.accessToken)
            try await app.runJobs()
            for index in 0..<10 { _ = try await api.publish("p\(index)", token: big.accessToken) }
            try await app.runJobs()
            #expect(try await app.homeEntries(of: reader.account.id) == 60)
            _ = try await api.delete("/api/v1/accounts/\(big.account.id)/follow", token: fan.accessToken)
            try await app.runJobs()
            _ = try await api.publish("pushed", token: big.accessToken)
            try await app.runJobs()
            #expect(try await app.homeEntries(of: reader.account.id) == 61)
            let expected = ["pushed"] + (0..<10).reversed().map { "p\($0)" } + (0..<60).reversed().map { "s\($0)" }
            for limit in [20, 100] {
                #expect(try await api.homeTexts(token: reader.accessToken, limit: limit) == expected, "pages of \(limit)")
            }
            // Above the threshold again, big is pulled whole; its pushed post is not lost either.
            try await api.follow(big.account.id, token: fan.accessToken)
            try await app.runJobs()
            _ = try await api.publish("pulled again", token: big.accessToken)
            try await app.runJobs()
            #expect(try await api.homeTexts(token: reader.accessToken, limit: 20) == ["pulled again"] + expected)
        }
    }

    /// B publishes b0–b49, then A a0–a49. The reader follows B, then A; each follow copies the
    /// author's 45 newest posts, so the entries are b5–b49 and a5–a49. a0–a4 are newer than every
    /// entry of B, and below them lie more entries than one scan batch (40), so a read that paged
    /// through entries alone would pass over them and, once the entries ran out, continue below
    /// b5: they would never be shown. Pull shows all hundred in order.
    @Test("A back-fill that copies only an author's newest posts leaves no hole: older ones are pulled where they belong")
    func backfillGaps() async throws {
        try await TestApp.run(configure: { $0.feed.backfillPosts = 45 }) { app, api in
            let first = try await api.register("author_b")
            let second = try await api.register("author_a")
            let reader = try await api.register("reader")
            for index in 0..<50 { _ = try await api.publish("b\(index)", token: first.accessToken) }
            for index in 0..<50 { _ = try await api.publish("a\(index)", token: second.accessToken) }
            try await app.runJobs()
            try await api.follow(first.account.id, token: reader.accessToken)
            try await api.follow(second.account.id, token: reader.accessToken)
            try await app.runJobs()
            #expect(try await app.homeEntries(of: reader.account.id) == 90)
            let expected = (0..<50).reversed().map { "a\($0)" } + (0..<50).reversed().map { "b\($0)" }
            for limit in [7, 20, 100] {
                #expect(try await api.homeTexts(token: reader.accessToken, limit: limit) == expected, "pages of \(limit)")
            }
            // Unfollowing and following again recomputes the gap; posts published since are pushed.
            _ = try await api.delete("/api/v1/accounts/\(second.account.id)/follow", token: reader.accessToken)
            try await app.runJobs()
            _ = try await api.publish("a50", token: second.accessToken)
            try await api.follow(second.account.id, token: reader.accessToken)
            try await app.runJobs()
            #expect(try await api.homeTexts(token: reader.accessToken, limit: 20) == ["a50"] + expected)
        }
    }

    @Test("Pages never repeat or skip while others publish")
    func stablePages() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let author = try await api.register("author")
            try await api.follow(author.account.id, token: reader.accessToken)
            var before: [String] = []
            for index in 0..<25 { before.append((try await api.publish("old \(index)", token: author.accessToken)).text) }
            try await app.runJobs()
            var seen: [Post] = []
            var cursor: String?
            var round = 0
            repeat {
                let page = try await api.home(token: reader.accessToken, limit: 4, cursor: cursor)
                seen += page.items
                cursor = page.nextCursor
                _ = try await api.publish("new \(round)", token: author.accessToken)
                try await app.runJobs()
                round += 1
            } while cursor != nil
            #expect(seen.map(\.text) == before.reversed())
            #expect(Set(seen.map(\.id)).count == seen.count)
        }
    }

    @Test("On Vignette a home shows followed accounts' media posts, followers-only ones included, and not strangers'")
    func vignetteHome() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let reader = try await api.register("reader")
            let author = try await api.register("author")
            let stranger = try await api.register("stranger")
            try await api.follow(author.account.id, token: reader.accessToken)
            for (account, text, audience) in [(author, "open", PostAudience.public), (author, "for followers", .followers), (stranger, "elsewhere", .public)] {
                let media = try await api.readyImage(app, token: account.accessToken)
                let response = try await api.post("/api/v1/posts", CreatePostRequest(text: text, mediaIds: [media], audience: audience), token: account.accessToken)
                #expect(response.status == 201)
            }
            try await app.runJobs()
            let home = try await api.wholeHome(token: reader.accessToken)
            #expect(home.map(\.text) == ["for followers", "open"])
            #expect(home.allSatisfy { $0.media.count == 1 })
        }
    }

    @Test("The home timeline needs a token and refuses bad orders and cursors")
    func denials() async throws {
        try await TestApp.run { _, api in
            let reader = try await api.register("reader")
            #expect(try await api.get("/api/v1/timelines/home").status == 401)
            let badOrder = try await api.get("/api/v1/timelines/home?order=loudest", token: reader.accessToken)
            #expect(badOrder.status == 422 && badOrder.fieldErrors == ["order"])
            #expect(try await api.get("/api/v1/timelines/home?cursor=abc", token: reader.accessToken).status == 422)
            #expect(try await api.get("/api/v1/timelines/home?limit=0", token: reader.accessToken).status == 422)
            #expect(try await api.home(token: reader.accessToken).items.isEmpty)
        }
    }
}

private actor Collected {
    var value: [String: [String]] = [:]
    func set(_ homes: [String: [String]]) { value = homes }
}

@Suite("Feed: engagement order")
struct EngagementOrderTests {
    /// Scores by hand, ranked two days after the first post (largest raw engagement 6):
    ///   a: 3 comments (raw 6), a day old:      ln 7 / ln 7 × 2^-1 = 0.500
    ///   b: 1 reaction (raw 1), new:            ln 2 / ln 7 × 1    = 0.356
    ///   d: 1 share (raw 3), two days old:      ln 4 / ln 7 × 2^-2 = 0.178
    ///   f: nothing, new, by a friend:          0
    ///   c: nothing, newer than f, by a follow: 0 — below f: friends first at equal scores
    @Test("The engagement order ranks by the formula, friends first at equal scores, and pages a fixed window")
    func handComputedOrder() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let author = try await api.register("author")
            let friend = try await api.register("friend")
            let sharer = try await api.register("sharer")
            try await api.follow(author.account.id, token: reader.accessToken)
            try await api.befriend(reader, friend)
            let d = try await api.publish("d", token: author.accessToken)
            #expect(try await api.post("/api/v1/posts/\(d.id)/share", SharePostRequest(), token: sharer.accessToken).status == 201)
            app.clock.advance(by: .seconds(24 * 3600))
            let (authorToken, readerToken) = (try await api.freshToken("author"), try await api.freshToken("reader"))
            let a = try await api.publish("a", token: authorToken)
            for index in 0..<3 {
                let comment = try await api.post("/api/v1/posts/\(a.id)/comments", CreateCommentRequest(text: "comment \(index)"), token: readerToken)
                #expect(comment.status == 201)
            }
            app.clock.advance(by: .seconds(24 * 3600))
            let (authorNow, readerNow, friendNow) = (try await api.freshToken("author"), try await api.freshToken("reader"), try await api.freshToken("friend"))
            let b = try await api.publish("b", token: authorNow)
            #expect(try await api.request(.put, "/api/v1/posts/\(b.id)/reaction", json: SetReactionRequest(kind: .like), token: readerNow).status == 200)
            _ = try await api.publish("f", audience: .friends, token: friendNow)
            _ = try await api.publish("c", token: authorNow)
            try await app.runJobs()

            func page(_ cursor: String?) async throws -> Page<Post> {
                let query = "order=engagement&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await api.get("/api/v1/timelines/home?\(query)", token: readerNow)
                #expect(response.status == 200, "\(response.text)")
                return try response.decode(Page<Post>.self)
            }
            let first = try await page(nil)
            #expect(first.items.map(\.text) == ["a", "b"])
            // Posts published meanwhile stay out of this ranking's pages.
            _ = try await api.publish("later", token: authorNow)
            try await app.runJobs()
            let second = try await page(first.nextCursor)
            #expect(second.items.map(\.text) == ["d", "f"])
            let third = try await page(second.nextCursor)
            #expect(third.items.map(\.text) == ["c"])
            #expect(third.nextCursor == nil)
            // A new first page sees the new post (no engagement, newest: first of the zeros by a follow).
            #expect(try await page(nil).items.map(\.text) == ["a", "b"])
        }
    }

    @Test("Cursors belong to their order; bad ones are refused")
    func cursors() async throws {
        try await TestApp.run { _, api in
            let reader = try await api.register("reader")
            for query in ["order=engagement&cursor=123", "order=engagement&cursor=1-2", "order=engagement&cursor=1-2-99999", "cursor=1-2-3", "order=ranked&cursor=9223372036854775807-2-0"] {
                let response = try await api.get("/api/v1/timelines/home?\(query)", token: reader.accessToken)
                #expect(response.status == 422 && response.fieldErrors == ["cursor"], "\(query)")
            }
            let empty = try await api.get("/api/v1/timelines/home?order=engagement", token: reader.accessToken)
            #expect(empty.status == 200)
        }
    }
}

@Suite("Feed: ranked order")
struct RankedOrderTests {
    /// Ranked six hours after the reader reacted to A's old post (affinity 1) and commented on
    /// B's (affinity 2); both affinities have decayed alike, so A's term is ½ of B's. Default
    /// weights 0.4 recency, 0.3 engagement, 0.2 affinity; raw engagement: a-old 1, b-old 2.
    ///   b-old: 0.4 × ½ + 0.3 × ln 3/ln 3 + 0.2 × 1 = 0.700
    ///   b-new: 0.4 × 1 + 0              + 0.2 × 1 = 0.600
    ///   a-new: 0.4 × 1 + 0              + 0.2 × ½ = 0.500
    ///   a-old: 0.4 × ½ + 0.3 × ln 2/ln 3 + 0.2 × ½ = 0.489
    @Test("The ranked order weighs recency, engagement and affinity by hand-computed numbers and says the model is left out")
    func handComputedRanking() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let a = try await api.register("author_a")
            let b = try await api.register("author_b")
            try await api.follow(a.account.id, token: reader.accessToken)
            try await api.follow(b.account.id, token: reader.accessToken)
            let bOld = try await api.publish("b-old", token: b.accessToken)
            let aOld = try await api.publish("a-old", token: a.accessToken)
            #expect(try await api.post("/api/v1/posts/\(bOld.id)/comments", CreateCommentRequest(text: "nice"), token: reader.accessToken).status == 201)
            #expect(try await api.request(.put, "/api/v1/posts/\(aOld.id)/reaction", json: SetReactionRequest(kind: .like), token: reader.accessToken).status == 200)
            try await app.runJobs()
            app.clock.advance(by: .seconds(6 * 3600))
            _ = try await api.publish("a-new", token: try await api.freshToken("author_a"))
            _ = try await api.publish("b-new", token: try await api.freshToken("author_b"))
            try await app.runJobs()

            let response = try await api.get("/api/v1/timelines/home?order=ranked", token: try await api.freshToken("reader"))
            #expect(response.status == 200, "\(response.text)")
            let page = try response.decode(HomePage.self)
            #expect(page.items.map(\.text) == ["b-old", "b-new", "a-new", "a-old"])
            #expect(page.ranking == HomeRanking(order: .ranked, terms: ["recency": 0.4, "engagement": 0.3, "affinity": 0.2], leftOut: ["model"]))
        }
    }

    @Test("Ranking weights are read from one variable, each from 0 to 1")
    func weights() {
        #expect(RankingWeights("recency=1,engagement=0")?.recency == 1)
        #expect(RankingWeights("recency=1,engagement=0")?.affinity == 0.2)
        for bad in ["recency=2", "loudness=0.5", "recency", "recency=nan", "recency=-0.1"] { #expect(RankingWeights(bad) == nil, "\(bad)") }
    }
}
