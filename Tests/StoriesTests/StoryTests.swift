import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@testable import Stories

@Suite("Stories")
struct StoryTests {
    @Test("A story is one ready image or short video of mine; anything else is a 422 that changes nothing")
    func posting() async throws {
        try await TestApp.run(configure: { $0.stories.maxVideoSeconds = 3 }) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let image = try await api.readyImage(app, token: ann.accessToken)
            let story = try await api.post(
                "/api/v1/stories", CreateStoryRequest(mediaId: image, caption: "hello", displaySeconds: 7), token: ann.accessToken)
            #expect(story.status == 201)
            let posted = try story.decode(Story.self)
            #expect(posted.displaySeconds == 7 && posted.caption == "hello" && posted.media.id == image && posted.seen)
            #expect(posted.expiresAt.timeIntervalSince(posted.createdAt) == 86_400)
            #expect(posted.media.isPrivate, "story files go out only through signed URLs")

            let bobs = try await api.readyImage(app, token: bob.accessToken)
            let another = try await api.readyImage(app, token: ann.accessToken)
            let sound = try await api.readyMedia(app, try await Fixtures.audio(seconds: 2), token: ann.accessToken)
            let long = try await api.readyMedia(app, try await Fixtures.video(seconds: 5, width: 160, height: 120), token: ann.accessToken)
            let short = try await api.readyMedia(app, try await Fixtures.video(seconds: 2, width: 160, height: 120), token: ann.accessToken)
            let refused: [(CreateStoryRequest, String)] = [
                (CreateStoryRequest(mediaId: bobs), "media_id"),
                (CreateStoryRequest(mediaId: image), "media_id"),
                (CreateStoryRequest(mediaId: sound), "media_id"),
                (CreateStoryRequest(mediaId: long), "media_id"),
                (CreateStoryRequest(mediaId: short, displaySeconds: 5), "display_seconds"),
                (CreateStoryRequest(mediaId: another, displaySeconds: 0), "display_seconds"),
                (CreateStoryRequest(mediaId: another, displaySeconds: 16), "display_seconds"),
                (CreateStoryRequest(mediaId: another, caption: String(repeating: "a", count: 2_201)), "caption"),
                (CreateStoryRequest(mediaId: another, audience: .followers), "audience"),
                (CreateStoryRequest(mediaId: another, hideFrom: (1...1_001).map { AccountID(rawValue: Int64($0)) }), "hide_from"),
            ]
            for (form, field) in refused {
                let answer = try await api.post("/api/v1/stories", form, token: ann.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(field): \(answer.text)")
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            #expect(try await api.post("/api/v1/stories", CreateStoryRequest(mediaId: another)).status == 401)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/stories").decode(Page<Story>.self).items.map(\.id) == [posted.id])

            let video = try await api.post("/api/v1/stories", CreateStoryRequest(mediaId: short), token: ann.accessToken).decode(Story.self)
            #expect(video.displaySeconds > 1.5 && video.displaySeconds < 3, "a video plays its own length")
        }
    }

    @Test("A story leaves every read exactly 24 hours after it was posted, sweep or not, and stays for its author")
    func expiry() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            var ann = try await api.register("ann")
            var fan = try await api.register("fan")
            try await api.follow(fan, ann)
            let story = try await api.postStory(app, token: ann.accessToken)
            app.clock.advance(by: .seconds(86_399))
            // Access tokens last less than a day.
            fan = try await api.login(username: "fan")
            ann = try await api.login(username: "ann")
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: fan.accessToken).status == 200)
            #expect(try await api.tray(token: fan.accessToken).items.count == 1)
            app.clock.advance(by: .seconds(1))
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: fan.accessToken).status == 404)
            #expect(try await api.get("/api/v1/stories/\(story.id)").status == 404)
            #expect(try await api.tray(token: fan.accessToken).items.isEmpty)
            #expect(try await api.tray(token: ann.accessToken).items.isEmpty)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/stories", token: fan.accessToken).decode(Page<Story>.self).items.isEmpty)
            #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: fan.accessToken).status == 404)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: ann.accessToken).status == 200, "its author still has it")

            #expect(try await StoryArchive(env: app.runtime.stories.env).archiveExpired() == 1)
            #expect(try await StoryArchive(env: app.runtime.stories.env).archiveExpired() == 0, "the sweep is idempotent")
            let archive = try await api.get("/api/v1/stories/archive", token: ann.accessToken).decode(Page<ArchivedStory>.self)
            #expect(archive.items.map(\.id) == [story.id])
        }
    }

    @Test("One view per viewer; seen by is the author's alone, newest first, a page at a time, without blocked accounts")
    func views() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            var viewers: [AuthTokens] = []
            for index in 1...3 { viewers.append(try await api.register("viewer\(index)")) }
            let story = try await api.postStory(app, token: ann.accessToken)
            for viewer in viewers {
                #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: viewer.accessToken).status == 204)
                app.clock.advance(by: .seconds(1))
            }
            #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: viewers[0].accessToken).status == 204)
            #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: ann.accessToken).status == 204)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: ann.accessToken).decode(Story.self).viewCount == 3)

            let first = try await api.get("/api/v1/stories/\(story.id)/viewers?limit=2", token: ann.accessToken).decode(Page<StoryViewer>.self)
            #expect(first.items.map(\.account.id) == [viewers[2].account.id, viewers[1].account.id])
            let cursor = try #require(first.nextCursor)
            let second = try await api.get("/api/v1/stories/\(story.id)/viewers?limit=2&cursor=\(cursor)", token: ann.accessToken)
                .decode(Page<StoryViewer>.self)
            #expect(second.items.map(\.account.id) == [viewers[0].account.id] && second.nextCursor == nil)

            #expect(try await api.get("/api/v1/stories/\(story.id)/viewers", token: viewers[0].accessToken).status == 404)
            #expect(try await api.get("/api/v1/stories/\(story.id)/viewers").status == 401)
            #expect(try await api.get("/api/v1/stories/\(story.id)/viewers?limit=0", token: ann.accessToken).status == 422)
            _ = try await api.post("/api/v1/accounts/\(ann.account.id)/block", token: viewers[1].accessToken)
            let afterBlock = try await api.get("/api/v1/stories/\(story.id)/viewers", token: ann.accessToken).decode(Page<StoryViewer>.self)
            #expect(afterBlock.items.map(\.account.id) == [viewers[2].account.id, viewers[0].account.id])
            #expect(try await api.post("/api/v1/stories/999/views", token: viewers[0].accessToken).status == 404)
        }
    }

    @Test("The tray puts mine first, then unseen accounts, then the rest, each by affinity and then newest, a page at a time")
    func tray() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let me = try await api.register("reader")
            var authors: [AuthTokens] = []
            for name in ["old", "mid", "new", "muted"] {
                let author = try await api.register(name)
                try await api.follow(me, author)
                authors.append(author)
            }
            var stories: [StoryID] = []
            for author in authors {
                stories.append(try await api.postStory(app, token: author.accessToken).id)
                app.clock.advance(by: .seconds(60))
            }
            #expect(try await api.post("/api/v1/accounts/\(authors[3].account.id)/mute", token: me.accessToken).status == 200)
            func order(_ query: String = "") async throws -> [String] { try await api.tray(token: me.accessToken, query: query).items.map(\.account.username) }
            #expect(try await order() == ["new", "mid", "old"], "newest first when nothing else tells them apart; muted left out")

            #expect(try await api.post("/api/v1/stories/\(stories[2])/views", token: me.accessToken).status == 204)
            let tray = try await api.tray(token: me.accessToken).items
            #expect(tray.map(\.account.username) == ["mid", "old", "new"], "seen ones go last")
            #expect(tray.map(\.unseenCount) == [1, 1, 0])

            // A reaction on one of old's posts makes me closer to old than to mid.
            let post = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: "a post", mediaIds: [try await api.readyImage(app, token: authors[0].accessToken)]),
                token: authors[0].accessToken).decode(Post.self)
            _ = try await api.put("/api/v1/posts/\(post.id)/reaction", SetReactionRequest(kind: .like), token: me.accessToken)
            try await app.runJobs()
            #expect(try await order() == ["old", "mid", "new"])

            _ = try await api.postStory(app, token: me.accessToken)
            #expect(try await order() == ["reader", "old", "mid", "new"])
            let first = try await api.tray(token: me.accessToken, query: "?limit=3")
            let cursor = try #require(first.nextCursor)
            #expect(try await order("?limit=3&cursor=\(cursor)") == ["new"])
            // The tray's cache of live stories forgets a deleted one at once.
            #expect(try await api.delete("/api/v1/stories/\(stories[2])", token: authors[2].accessToken).status == 204)
            #expect(try await order() == ["reader", "old", "mid"])
            #expect(try await api.get("/api/v1/stories/tray").status == 401)
            #expect(try await api.get("/api/v1/stories/tray?cursor=abc", token: me.accessToken).status == 422)
        }
    }

    @Test("Only its author deletes a story, live or archived; a full tray refuses a new one with a 409")
    func deletionAndLimit() async throws {
        try await TestApp.run(configure: { $0.stories.maxLive = 2 }) { app, api in
            var ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let first = try await api.postStory(app, token: ann.accessToken)
            _ = try await api.postStory(app, token: ann.accessToken)
            let full = try await api.post("/api/v1/stories", CreateStoryRequest(mediaId: try await api.readyImage(app, token: ann.accessToken)), token: ann.accessToken)
            #expect(full.status == 409 && full.problem?.type.hasSuffix("story-limit") == true)
            #expect(try await api.delete("/api/v1/stories/\(first.id)", token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/stories/\(first.id)").status == 401)
            #expect(try await api.post("/api/v1/stories/\(first.id)/views", token: bob.accessToken).status == 204)
            #expect(try await api.delete("/api/v1/stories/\(first.id)", token: ann.accessToken).status == 204)
            #expect(try await api.get("/api/v1/stories/\(first.id)", token: ann.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/stories/\(first.id)", token: ann.accessToken).status == 404)
            _ = try await api.postStory(app, token: ann.accessToken)

            app.clock.advance(by: .seconds(86_400))
            ann = try await api.login(username: "ann")
            let archived = try await api.get("/api/v1/stories/archive", token: ann.accessToken)
            #expect(try archived.decode(Page<ArchivedStory>.self).items.isEmpty, "not swept yet")
            try await StoryArchive(env: app.runtime.stories.env).archiveExpired()
            let swept = try await api.get("/api/v1/stories/archive", token: ann.accessToken).decode(Page<ArchivedStory>.self).items
            #expect(swept.count == 2)
            #expect(try await api.delete("/api/v1/stories/\(swept[0].id)", token: ann.accessToken).status == 204)
            let views = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM story_views").first()?.decode(column: "n", as: Int.self)
            #expect(views == 0, "a deleted story takes its views along")
        }
    }
}
