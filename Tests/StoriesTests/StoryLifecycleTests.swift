import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

/// Stories follow their owner's state: a suspended author's stories and highlights vanish from
/// every read, and a deleted account leaves nothing behind in any stories table.
@Suite("Stories and their owners' state")
struct StoryLifecycleTests {
    @Test("A suspended author's stories, stickers and highlights are gone for everyone else, and come back with the account")
    func suspension() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            try await api.follow(bob, ann)
            let story = try await api.postStory(app, token: ann.accessToken)
            let highlight = try await api.post("/api/v1/highlights", CreateHighlightRequest(title: "Kept", storyIds: [story.id]), token: ann.accessToken)
                .decode(Highlight.self)
            let admin = try await app.signedInAdmin(api)
            #expect(try await api.post("/api/v1/admin/accounts/\(ann.account.id)/suspend", SuspendAccountRequest(reason: "spam"), token: admin.accessToken).status == 200)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: bob.accessToken).status == 404)
            #expect(try await api.tray(token: bob.accessToken).items.isEmpty)
            #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: bob.accessToken).status == 404)
            #expect(try await api.get("/api/v1/highlights/\(highlight.id)", token: bob.accessToken).status == 404)
            #expect(try await api.post("/api/v1/admin/accounts/\(ann.account.id)/unsuspend", token: admin.accessToken).status == 200)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: bob.accessToken).status == 200)
        }
    }

    @Test("Deleting an account deletes its stories and everything on them, and what it did on other people's")
    func deletion() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let gone = try await api.register("gone")
            let stays = try await api.register("stays")
            try await api.follow(gone, stays)
            try await api.follow(stays, gone)
            let poll = StickerInput(kind: .poll, placement: StickerPlacement(x: 0.5, y: 0.5), options: ["a", "b"])
            var stories: [Story] = []
            for author in [gone, stays] {
                let media = try await api.readyImage(app, token: author.accessToken)
                stories.append(try await api.post(
                    "/api/v1/stories", CreateStoryRequest(mediaId: media, hideFrom: [AccountID(rawValue: 42)], stickers: [poll]), token: author.accessToken
                ).decode(Story.self))
            }
            for (viewer, story) in [(stays, stories[0]), (gone, stories[1])] {
                _ = try await api.post("/api/v1/stories/\(story.id)/views", token: viewer.accessToken)
                _ = try await api.post(
                    "/api/v1/stories/\(story.id)/stickers/\(story.stickers[0].id)/responses", StickerResponseRequest(option: 0), token: viewer.accessToken)
                _ = try await api.post(
                    "/api/v1/stories/navigation", StoryNavigationRequest(events: [StoryNavigationEvent(storyId: story.id, action: .exit)]),
                    token: viewer.accessToken)
            }
            // Stays asks a question, gone answers, stays reshares the answer.
            let asking = try await api.post(
                "/api/v1/stories",
                CreateStoryRequest(
                    mediaId: try await api.readyImage(app, token: stays.accessToken),
                    stickers: [StickerInput(kind: .question, placement: StickerPlacement(x: 0.5, y: 0.5), question: "Anything?")]),
                token: stays.accessToken
            ).decode(Story.self)
            _ = try await api.post(
                "/api/v1/stories/\(asking.id)/stickers/\(asking.stickers[0].id)/responses", StickerResponseRequest(text: "my words"), token: gone.accessToken)
            let reshared = try await api.post(
                "/api/v1/stories",
                CreateStoryRequest(
                    mediaId: try await api.readyImage(app, token: stays.accessToken),
                    reshare: ReshareAnswer(stickerId: asking.stickers[0].id, accountId: gone.account.id)),
                token: stays.accessToken
            ).decode(Story.self)
            #expect(reshared.resharedAnswer?.text == "my words")
            _ = try await api.post("/api/v1/highlights", CreateHighlightRequest(title: "Mine", storyIds: [stories[0].id]), token: gone.accessToken)
            _ = try await api.post("/api/v1/highlights", CreateHighlightRequest(title: "Theirs", storyIds: [stories[1].id]), token: stays.accessToken)
            let theirs = stories[1].id
            try await app.kernel.database.transaction { db in
                // A reply's count, as the replies route keeps it (its message lives in Messaging).
                try await db.raw("INSERT INTO story_replies (id, story_id, sender_id, created_at) VALUES (1, \(bind: theirs.rawValue), \(bind: gone.account.id.rawValue), 0)").run()
            }

            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: gone.accessToken).status == 202)
            try await app.runJobs()
            let sql = app.kernel.database.sql
            func count(_ query: String) async throws -> Int {
                try await sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
            }
            let (goneID, story) = (gone.account.id.rawValue, stories[0].id.rawValue)
            #expect(try await count("SELECT COUNT(*) AS n FROM stories WHERE author_id = \(goneID)") == 0)
            for table in ["story_views", "story_hidden_from", "story_stickers", "story_sticker_responses", "story_navigation", "story_replies"] {
                #expect(try await count("SELECT COUNT(*) AS n FROM \(table) WHERE story_id = \(story)") == 0, "\(table) of its story")
            }
            #expect(try await count("SELECT COUNT(*) AS n FROM story_views WHERE viewer_id = \(goneID)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM story_sticker_responses WHERE account_id = \(goneID)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM story_navigation WHERE viewer_id = \(goneID)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM story_replies WHERE sender_id = \(goneID)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM story_highlights WHERE owner_id = \(goneID)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM story_highlights") == 1, "the other account's highlight stays")
            #expect(try await count("SELECT COUNT(*) AS n FROM stories") == 3, "and its stories")
            #expect(try await count("SELECT COUNT(*) AS n FROM stories WHERE reshared_text IS NOT NULL OR reshared_from IS NOT NULL") == 0,
                    "its reshared words are gone")
            let seen = try await api.get("/api/v1/stories/\(stories[1].id)", token: stays.accessToken).decode(Story.self)
            #expect(seen.viewCount == 0, "its view no longer counts")
        }
    }
}
