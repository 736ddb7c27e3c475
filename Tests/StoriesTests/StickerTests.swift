import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@testable import Stories

@Suite("Story stickers")
struct StickerTests {
    static let here = StickerPlacement(x: 0.5, y: 0.5)

    func story(_ app: TestApp, _ api: TestAPI, _ author: AuthTokens, _ stickers: [StickerInput]) async throws -> Story {
        let media = try await api.readyImage(app, token: author.accessToken)
        let answer = try await api.post("/api/v1/stories", CreateStoryRequest(mediaId: media, stickers: stickers), token: author.accessToken)
        guard answer.status == 201 else { throw StoryTestFailure(description: "story: \(answer.status) \(answer.text)") }
        return try answer.decode(Story.self)
    }

    func respond(_ api: TestAPI, _ story: Story, _ form: StickerResponseRequest, token: String?) async throws -> TestResponse {
        try await respond(api, story, 0, form, token: token)
    }

    func respond(_ api: TestAPI, _ story: Story, _ index: Int, _ form: StickerResponseRequest, token: String?) async throws -> TestResponse {
        try await api.post("/api/v1/stories/\(story.id)/stickers/\(story.stickers[index].id)/responses", form, token: token)
    }

    @Test("Each kind takes its own fields within their bounds; anything else is a 422 naming the field, and nothing is posted")
    func placing() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let media = try await api.readyImage(app, token: ann.accessToken)
            let soon = Date(timeIntervalSince1970: Double(app.clock.nowMillis()) / 1000 + 3600)
            let refused: [(StickerInput, String)] = [
                (StickerInput(kind: .poll, placement: Self.here, options: ["only"]), "stickers[0].options"),
                (StickerInput(kind: .poll, placement: Self.here, options: ["a", "b", "c", "d", "e"]), "stickers[0].options"),
                (StickerInput(kind: .poll, placement: Self.here, options: ["a", "a"]), "stickers[0].options"),
                (StickerInput(kind: .poll, placement: Self.here, options: ["a", " "]), "stickers[0].options[1]"),
                (StickerInput(kind: .poll, placement: Self.here, options: ["a", "b"], correctOption: 0), "stickers[0].correct_option"),
                (StickerInput(kind: .poll, placement: StickerPlacement(x: 1.5, y: 0.5), options: ["a", "b"]), "stickers[0].placement.x"),
                (StickerInput(kind: .poll, placement: StickerPlacement(x: 0.5, y: 0.5, scale: 9), options: ["a", "b"]), "stickers[0].placement.scale"),
                (StickerInput(kind: .quiz, placement: Self.here, question: "q?", options: ["a", "b"], correctOption: 2), "stickers[0].correct_option"),
                (StickerInput(kind: .quiz, placement: Self.here, question: "q?", options: ["a", "b"]), "stickers[0].correct_option"),
                (StickerInput(kind: .question, placement: Self.here), "stickers[0].question"),
                (StickerInput(kind: .question, placement: Self.here, question: String(repeating: "q", count: 201)), "stickers[0].question"),
                (StickerInput(kind: .countdown, placement: Self.here, title: "launch", endsAt: Date(timeIntervalSince1970: 1)), "stickers[0].ends_at"),
                (StickerInput(kind: .countdown, placement: Self.here, endsAt: soon), "stickers[0].title"),
                (StickerInput(kind: .emojiSlider, placement: Self.here, emoji: "ab"), "stickers[0].emoji"),
                (StickerInput(kind: .mention, placement: Self.here, accountId: ann.account.id), "stickers[0].account_id"),
                (StickerInput(kind: .mention, placement: Self.here, accountId: AccountID(rawValue: 999_999)), "stickers[0].account_id"),
                (StickerInput(kind: .location, placement: Self.here, location: StickerLocation(name: "Pole", latitude: 91, longitude: 0)),
                 "stickers[0].location.latitude"),
                (StickerInput(kind: .music, placement: Self.here, mediaId: media), "stickers[0].media_id"),
            ]
            for (sticker, field) in refused {
                let other = try await api.readyImage(app, token: ann.accessToken)
                let answer = try await api.post("/api/v1/stories", CreateStoryRequest(mediaId: other, stickers: [sticker]), token: ann.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors.contains(field), "\(field): \(answer.text)")
            }
            let tooMany = Array(repeating: StickerInput(kind: .location, placement: Self.here, location: StickerLocation(name: "x", latitude: 0, longitude: 0)), count: 11)
            #expect(try await api.post("/api/v1/stories", CreateStoryRequest(mediaId: media, stickers: tooMany), token: ann.accessToken).fieldErrors == ["stickers"])
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/stories", token: ann.accessToken).decode(Page<Story>.self).items.isEmpty)

            let track = try await api.readyMedia(app, try await Fixtures.audio(seconds: 3), token: ann.accessToken)
            let longStart = try await api.post(
                "/api/v1/stories",
                CreateStoryRequest(mediaId: media, stickers: [StickerInput(kind: .music, placement: Self.here, mediaId: track, startSeconds: 5)]),
                token: ann.accessToken)
            #expect(longStart.fieldErrors == ["stickers[0].start_seconds"])
            let bob = try await api.register("bob")
            let bobsTrack = try await api.readyMedia(app, try await Fixtures.audio(seconds: 3), token: bob.accessToken)
            let borrowed = try await api.post(
                "/api/v1/stories",
                CreateStoryRequest(mediaId: media, stickers: [StickerInput(kind: .music, placement: Self.here, mediaId: bobsTrack, startSeconds: 5)]),
                token: ann.accessToken)
            #expect(borrowed.fieldErrors == ["stickers[0].media_id"] && borrowed.problem?.errors?.first?.code == "not_found",
                    "someone else's track is not described: \(borrowed.text)")
            let placed = try await story(app, api, ann, [
                StickerInput(kind: .music, placement: Self.here, mediaId: track, startSeconds: 1.5),
                StickerInput(kind: .location, placement: StickerPlacement(x: 0.1, y: 0.9, scale: 0.5, rotation: -15),
                             location: StickerLocation(name: "Lakeside café", latitude: 47.37, longitude: 8.54)),
                StickerInput(kind: .emojiSlider, placement: Self.here, question: "How hot?", emoji: "🔥"),
            ])
            #expect(placed.stickers.map(\.kind) == [.music, .location, .emojiSlider])
            #expect(placed.stickers[0].music?.id == track && placed.stickers[0].startSeconds == 1.5 && placed.stickers[0].results == nil)
            #expect(placed.stickers[1].location?.name == "Lakeside café" && placed.stickers[1].placement.rotation == -15)
            #expect(placed.stickers[2].emoji == "🔥" && placed.stickers[2].results?.total == 0)
        }
    }

    @Test("A poll takes one vote per viewer and shows everyone live percentages; the author, strangers and bad answers are refused")
    func poll() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            var voters: [AuthTokens] = []
            for index in 1...3 { voters.append(try await api.register("voter\(index)")) }
            let story = try await story(app, api, ann, [
                StickerInput(kind: .poll, placement: Self.here, question: "Tea or coffee?", options: ["tea", "coffee", "water"]),
                StickerInput(kind: .location, placement: Self.here, location: StickerLocation(name: "x", latitude: 0, longitude: 0)),
            ])
            for (voter, option) in zip(voters, [1, 1, 0]) {
                #expect(try await respond(api, story, StickerResponseRequest(option: option), token: voter.accessToken).status == 200)
            }
            let seen = try await respond(api, story, StickerResponseRequest(option: 0), token: voters[0].accessToken)
            #expect(seen.status == 409 && seen.problem?.type.hasSuffix("already-answered") == true)
            let sticker = try await api.get("/api/v1/stories/\(story.id)", token: voters[0].accessToken).decode(Story.self).stickers[0]
            #expect(sticker.results?.counts == [1, 2, 0] && sticker.results?.percentages == [33, 67, 0] && sticker.results?.total == 3)
            #expect(sticker.results?.mine?.option == 1, "the first answer stands")

            let late = try await api.register("late")
            #expect(try await respond(api, story, StickerResponseRequest(option: 3), token: late.accessToken).fieldErrors == ["option"])
            #expect(try await respond(api, story, StickerResponseRequest(value: 3), token: late.accessToken).fieldErrors.sorted() == ["option", "value"])
            #expect(try await respond(api, story, 1, StickerResponseRequest(), token: late.accessToken).fieldErrors == ["sticker_id"])
            #expect(try await respond(api, story, StickerResponseRequest(option: 0), token: ann.accessToken).status == 403)
            #expect(try await respond(api, story, StickerResponseRequest(option: 0), token: nil).status == 401)
            #expect(try await api.post("/api/v1/stories/\(story.id)/stickers/12345/responses", StickerResponseRequest(option: 0), token: late.accessToken).status == 404)
            _ = try await api.post("/api/v1/accounts/\(late.account.id)/block", token: ann.accessToken)
            #expect(try await respond(api, story, StickerResponseRequest(option: 0), token: late.accessToken).status == 404, "blocked: the story is not there")

            let events = try await app.kernel.database.sql.raw("""
                SELECT COUNT(*) AS n FROM realtime_events WHERE account_id = \(bind: ann.account.id.rawValue) AND type = 'story.sticker_response'
                """).first()?.decode(column: "n", as: Int.self)
            #expect(events == 3, "each answer reached the author's sockets, and only the accepted ones")
        }
    }

    @Test("A quiz hides its answer until a viewer has answered, then shows right or wrong and the accuracy")
    func quiz() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            let story = try await story(app, api, ann, [
                StickerInput(kind: .quiz, placement: Self.here, question: "Capital of Switzerland?", options: ["Zurich", "Bern", "Geneva"], correctOption: 1)
            ])
            #expect(story.stickers[0].correctOption == 1, "its author sees it")
            let before = try await api.get("/api/v1/stories/\(story.id)", token: bob.accessToken).decode(Story.self).stickers[0]
            #expect(before.correctOption == nil && before.results?.counts == nil && before.results?.total == 0)
            let wrong = try await respond(api, story, StickerResponseRequest(option: 0), token: bob.accessToken).decode(StorySticker.self)
            #expect(wrong.correctOption == 1 && wrong.results?.mine?.correct == false && wrong.results?.correctCount == 0)
            let right = try await respond(api, story, StickerResponseRequest(option: 1), token: cat.accessToken).decode(StorySticker.self)
            #expect(right.results?.mine?.correct == true && right.results?.correctCount == 1 && right.results?.counts == [1, 1, 0])
            #expect(right.results?.percentages == [50, 50, 0])
        }
    }

    @Test("Slider answers are 0–100 and average as computed by hand; question answers reach only the author, who may reshare one")
    func sliderAndQuestion() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            var viewers: [AuthTokens] = []
            for index in 1...3 { viewers.append(try await api.register("viewer\(index)")) }
            let story = try await story(app, api, ann, [
                StickerInput(kind: .emojiSlider, placement: Self.here, emoji: "😍"),
                StickerInput(kind: .question, placement: Self.here, question: "Ask me anything"),
            ])
            #expect(try await respond(api, story, StickerResponseRequest(value: 101), token: viewers[0].accessToken).fieldErrors == ["value"])
            #expect(try await respond(api, story, StickerResponseRequest(value: -1), token: viewers[0].accessToken).fieldErrors == ["value"])
            let before = try await api.get("/api/v1/stories/\(story.id)", token: viewers[2].accessToken).decode(Story.self).stickers[0]
            for (viewer, value) in zip(viewers, [20, 50, 95]) {
                _ = try await respond(api, story, StickerResponseRequest(value: value), token: viewer.accessToken)
            }
            #expect(before.results?.average == nil)
            let slider = try await api.get("/api/v1/stories/\(story.id)", token: viewers[0].accessToken).decode(Story.self).stickers[0]
            #expect(slider.results?.average == 55 && slider.results?.total == 3 && slider.results?.mine?.value == 20)

            #expect(try await respond(api, story, 1, StickerResponseRequest(text: "  "), token: viewers[0].accessToken).fieldErrors == ["text"])
            for (viewer, text) in zip(viewers, ["Favourite film?", "Where now?", "Why?"]) {
                app.clock.advance(by: .seconds(1))
                #expect(try await respond(api, story, 1, StickerResponseRequest(text: text), token: viewer.accessToken).status == 200)
            }
            let question = story.stickers[1].id
            let path = "/api/v1/stories/\(story.id)/stickers/\(question)/responses"
            let viewerSees = try await api.get("/api/v1/stories/\(story.id)", token: viewers[0].accessToken).decode(Story.self).stickers[1]
            #expect(viewerSees.results?.total == 3 && viewerSees.results?.mine?.text == "Favourite film?")
            let first = try await api.get("\(path)?limit=2", token: ann.accessToken).decode(Page<StickerResponse>.self)
            #expect(first.items.map(\.answer.text) == ["Why?", "Where now?"])
            let rest = try await api.get("\(path)?limit=2&cursor=\(try #require(first.nextCursor))", token: ann.accessToken).decode(Page<StickerResponse>.self)
            #expect(rest.items.map(\.account.id) == [viewers[0].account.id])
            #expect(try await api.get(path, token: viewers[0].accessToken).status == 404)

            let media = try await api.readyImage(app, token: ann.accessToken)
            let reshared = try await api.post(
                "/api/v1/stories", CreateStoryRequest(mediaId: media, reshare: ReshareAnswer(stickerId: question, accountId: viewers[1].account.id)),
                token: ann.accessToken)
            #expect(try reshared.decode(Story.self).resharedAnswer == ResharedAnswer(question: "Ask me anything", text: "Where now?"))
            let stranger = try await api.register("stranger")
            let notAnswered = try await api.post(
                "/api/v1/stories", CreateStoryRequest(mediaId: media, reshare: ReshareAnswer(stickerId: question, accountId: stranger.account.id)),
                token: ann.accessToken)
            #expect(notAnswered.fieldErrors == ["reshare"])
            let notHers = try await api.post(
                "/api/v1/stories",
                CreateStoryRequest(
                    mediaId: try await api.readyImage(app, token: stranger.accessToken),
                    reshare: ReshareAnswer(stickerId: question, accountId: viewers[1].account.id)),
                token: stranger.accessToken)
            #expect(notHers.fieldErrors == ["reshare"], "only the author reshares answers to their questions")

            app.clock.advance(by: .seconds(86_400))
            let late = try await api.login(username: "viewer1")
            #expect(try await respond(api, story, StickerResponseRequest(value: 5), token: late.accessToken).status == 404, "an expired story takes no answers")
        }
    }

    @Test("A mention notifies the account; a countdown notifies its subscribers when it ends, and not before")
    func mentionAndCountdown() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            let ends = Date(timeIntervalSince1970: Double(app.clock.nowMillis()) / 1000 + 3600)
            let story = try await story(app, api, ann, [
                StickerInput(kind: .mention, placement: Self.here, accountId: bob.account.id),
                StickerInput(kind: .countdown, placement: Self.here, title: "Launch", endsAt: ends),
            ])
            #expect(story.stickers[0].mention == StickerMention(id: bob.account.id, username: "bob"))
            #expect(try await respond(api, story, 0, StickerResponseRequest(), token: bob.accessToken).fieldErrors == ["sticker_id"])
            let subscribed = try await respond(api, story, 1, StickerResponseRequest(), token: cat.accessToken).decode(StorySticker.self)
            #expect(subscribed.results?.total == 1 && subscribed.results?.mine != nil)
            try await app.runJobs()
            func types(_ who: AuthTokens) async throws -> [String] {
                let token = try await api.login(username: who.account.username).accessToken
                return try await api.get("/api/v1/notifications", token: token).decode(Page<NotificationGroup>.self).items.map(\.type)
            }
            #expect(try await types(bob) == ["story_mention"])
            #expect(try await types(cat).isEmpty, "not before its end")
            app.clock.advance(by: .seconds(3601))
            try await app.runJobs()
            #expect(try await types(cat) == ["story_countdown"])
            #expect(try await types(bob) == ["story_mention"])
            let late = try await api.login(username: "bob")
            #expect(try await respond(api, story, 1, StickerResponseRequest(), token: late.accessToken).fieldErrors == ["sticker_id"], "it has ended")

            // A viewer the mentioned account blocks does not see the mention.
            let catNow = try await api.login(username: "cat")
            _ = try await api.post("/api/v1/accounts/\(cat.account.id)/block", token: late.accessToken)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: catNow.accessToken).decode(Story.self).stickers[0].mention == nil)

            // Deleting the story withdraws its notices and lets its picture go.
            let annNow = try await api.login(username: "ann")
            #expect(try await api.delete("/api/v1/stories/\(story.id)", token: annNow.accessToken).status == 204)
            #expect(try await types(bob).isEmpty)
            #expect(try await types(cat).isEmpty)
            let attached = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM media WHERE attached_to IS NOT NULL").first()?
                .decode(column: "n", as: Int.self)
            #expect(attached == 0)
        }
    }

    @Test("A countdown's end is stored with the story: it fires after a restart")
    func countdownAfterRestart() async throws {
        let directory = NSTemporaryDirectory() + "entativa-countdown-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await TestDatabase.shared(directory: directory)
        defer { Task { await database.drop() } }

        let first = try await TestApp.open(directory: directory, databaseURL: database.url)
        try await first.runtime.application.test(.router) { client in
            let api = TestAPI.wrapping(client)
            let ann = try await api.register("ann")
            let cat = try await api.register("cat")
            let ends = Date(timeIntervalSince1970: Double(first.clock.nowMillis()) / 1000 + 600)
            let story = try await story(first, api, ann, [StickerInput(kind: .countdown, placement: Self.here, title: "Doors open", endsAt: ends)])
            #expect(try await respond(api, story, StickerResponseRequest(), token: cat.accessToken).status == 200)
        }
        await first.kernel.database.shutdown()

        let second = try await TestApp.open(directory: directory, databaseURL: database.url)
        second.clock.advance(by: .seconds(601))
        try await second.runJobs()
        try await second.runtime.application.test(.router) { client in
            let api = TestAPI.wrapping(client)
            let cat = try await api.login(username: "cat")
            let notices = try await api.get("/api/v1/notifications", token: cat.accessToken).decode(Page<NotificationGroup>.self).items
            #expect(notices.map(\.type) == ["story_countdown"])
        }
        await second.kernel.database.shutdown()
    }
}
