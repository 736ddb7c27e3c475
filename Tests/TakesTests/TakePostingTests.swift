import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Takes: posting")
struct TakePostingTests {
    @Test("A Take lasts 15–90 s by ffprobe's reading of the file: 10 s and 91 s are refused, 15 s and 90 s are not")
    func durations() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let token = ann.accessToken
            let ten = try await api.readyVideo(app, seconds: 10, token: token)
            let fifteen = try await api.readyVideo(app, seconds: 15, token: token)
            let ninety = try await api.readyVideo(app, seconds: 90, token: token)
            let ninetyOne = try await api.readyVideo(app, seconds: 91, token: token)
            for (media, code) in [(ten, "too_short"), (ninetyOne, "too_long")] {
                let refused = try await api.post("/api/v1/takes", CreateTakeRequest(mediaId: media, caption: "#nope"), token: token)
                #expect(refused.status == 422 && refused.fieldErrors == ["media_id"] && refused.text.contains(code), "\(refused.text)")
            }
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/posts", token: token).decode(Page<Post>.self).items.isEmpty,
                    "a refused Take leaves no post behind")
            let count = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM take_trends").first()?.decode(column: "n", as: Int.self)
            #expect(count == 0, "nor a trend")

            let short = try await api.postTake(CreateTakeRequest(mediaId: fifteen, caption: "first #Dance", coverAtMs: 2_000), token: token)
            #expect((14_750...15_250).contains(short.durationMs) && short.orientation == .portrait && short.width == 72 && short.height == 128)
            #expect(short.coverAtMs == 2_000 && short.allowRemix && short.allowDuet && short.post.hashtags == ["dance"])
            #expect(short.trends.count == 1 && short.trends[0].isOrigin && short.trends[0].originator?.id == ann.account.id)
            let long = try await api.postTake(CreateTakeRequest(mediaId: ninety, allowDuet: false), token: token)
            #expect((89_750...90_250).contains(long.durationMs) && !long.allowDuet)
            #expect(try await api.take(long.id).id == long.id, "a public Take reads signed out")
            let posts = try await api.get("/api/v1/accounts/\(ann.account.id)/takes").decode(Page<Take>.self)
            #expect(posts.items.map(\.id) == [long.id, short.id])
        }
    }

    @Test("Bad input is a 422 naming its field and changes nothing; another's media, an image, a wrong cover")
    func refusals() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let token = ann.accessToken
            let video = try await api.readyVideo(app, token: token)
            let bobs = try await api.readyVideo(app, token: bob.accessToken)
            let image = try await api.readyMedia(app, try await Fixtures.png(width: 64, height: 48), token: token)
            let landscape = try await api.readyVideo(app, width: 128, height: 72, token: token)
            let refused: [(CreateTakeRequest, String)] = [
                (CreateTakeRequest(mediaId: bobs), "media_id"),
                (CreateTakeRequest(mediaId: image), "media_id"),
                (CreateTakeRequest(mediaId: video, coverAtMs: 16_000), "cover_at_ms"),
                (CreateTakeRequest(mediaId: video, coverAtMs: -1), "cover_at_ms"),
                (CreateTakeRequest(mediaId: video, caption: String(repeating: "a", count: 2_201)), "caption"),
                (CreateTakeRequest(mediaId: video, music: TakeMusicInput()), "music"),
                (CreateTakeRequest(mediaId: video, music: TakeMusicInput(mediaId: image, soundId: SoundID(rawValue: 1))), "music"),
                (CreateTakeRequest(mediaId: video, music: TakeMusicInput(soundId: SoundID(rawValue: 1))), "music.sound_id"),
                (CreateTakeRequest(mediaId: video, music: TakeMusicInput(mediaId: image)), "music.media_id"),
                (CreateTakeRequest(mediaId: video, music: TakeMusicInput(soundId: SoundID(rawValue: 1), title: "x")), "music.title"),
                (CreateTakeRequest(mediaId: video, templateId: TemplateID(rawValue: 1)), "template_id"),
                (CreateTakeRequest(mediaId: video, audience: .friends), "audience"),
            ]
            for (form, field) in refused {
                let answer = try await api.post("/api/v1/takes", form, token: token)
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(field): \(answer.text)")
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            #expect(try await api.post("/api/v1/takes", CreateTakeRequest(mediaId: video)).status == 401)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/takes").decode(Page<Take>.self).items.isEmpty)

            let take = try await api.postTake(CreateTakeRequest(mediaId: landscape), token: token)
            #expect(take.orientation == .landscape)
            // The video now belongs to the Take: it cannot make a second one.
            #expect(try await api.post("/api/v1/takes", CreateTakeRequest(mediaId: landscape), token: token).status == 422)
        }
    }

    @Test("A Take is a post: reactions and comments use the posts routes; edits keep trends, audiences hide it, only its author edits or deletes")
    func editsAndAccess() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let take = try await api.postTake(app, caption: "hello #one", token: ann.accessToken)
            #expect(try await api.put("/api/v1/posts/\(take.id)/reaction", SetReactionRequest(kind: .like), token: bob.accessToken).status == 200)
            #expect(try await api.take(take.id, token: bob.accessToken).post.reactions.total == 1)

            #expect(try await api.patch("/api/v1/takes/\(take.id)", UpdateTakeRequest(caption: "bob's now"), token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/takes/\(take.id)", token: bob.accessToken).status == 404)
            #expect(try await api.patch("/api/v1/takes/\(take.id)", UpdateTakeRequest(coverAtMs: 99_000), token: ann.accessToken).status == 422)
            let edited = try await api.patch(
                "/api/v1/takes/\(take.id)", UpdateTakeRequest(caption: "hello #two", coverAtMs: 1_000, allowRemix: false), token: ann.accessToken
            ).decode(Take.self)
            #expect(edited.post.text == "hello #two" && edited.coverAtMs == 1_000 && !edited.allowRemix)
            try await app.runJobs()
            let keys = try await api.take(take.id).trends.map(\.key)
            #expect(keys == ["two"], "an edit leaves the trends of removed tags and joins those of added ones")

            _ = try await api.patch("/api/v1/takes/\(take.id)", UpdateTakeRequest(audience: .onlyMe), token: ann.accessToken)
            #expect(try await api.get("/api/v1/takes/\(take.id)", token: bob.accessToken).status == 404)
            #expect(try await api.get("/api/v1/takes/\(take.id)").status == 404)
            #expect(try await api.get("/api/v1/takes/\(take.id)", token: ann.accessToken).status == 200)

            #expect(try await api.delete("/api/v1/takes/\(take.id)", token: ann.accessToken).status == 204)
            try await app.runJobs()
            #expect(try await api.get("/api/v1/takes/\(take.id)", token: ann.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/takes/\(take.id)", token: ann.accessToken).status == 404)
        }
    }

    @Test("Views count once a viewer a day; reports on my own or invisible Takes are dropped; bounds are 422s")
    func views() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            var bob = try await api.register("bob")
            let take = try await api.postTake(app, token: ann.accessToken)
            let hidden = try await api.postTake(app, audience: .onlyMe, token: ann.accessToken)
            let report = TakeViewReport(takeId: take.id, watchMs: 10_000, completion: 0.6, rewatches: 1)
            #expect(try await api.reportViews([report], token: bob.accessToken) == TakeViewsResult(accepted: 1, newViews: 1))
            #expect(try await api.reportViews([report], token: bob.accessToken) == TakeViewsResult(accepted: 1, newViews: 0))
            #expect(try await api.reportViews([TakeViewReport(takeId: take.id, watchMs: 1, completion: 1)], token: ann.accessToken).accepted == 0)
            #expect(try await api.reportViews([TakeViewReport(takeId: hidden.id, watchMs: 1, completion: 1)], token: bob.accessToken).accepted == 0)
            #expect(try await api.take(take.id).viewCount == 1)
            let row = try await app.kernel.database.sql.raw("SELECT completion_sum, rewatch_sum, watch_ms_sum FROM takes WHERE post_id = \(bind: take.id.rawValue)").first()
            #expect(try row?.decode(column: "completion_sum", as: Int.self) == 600, "the furthest point, not a sum of reports")
            #expect(try row?.decode(column: "rewatch_sum", as: Int.self) == 2)
            #expect(try row?.decode(column: "watch_ms_sum", as: Int.self) == 20_000)

            app.clock.advance(by: .seconds(86_400))
            bob = try await api.login(username: "bob")
            #expect(try await api.reportViews([report], token: bob.accessToken).newViews == 1, "a new day counts again")
            #expect(try await api.take(take.id).viewCount == 2)

            let bad: [TakeViewReport] = [
                TakeViewReport(takeId: take.id, watchMs: -1, completion: 0.5), TakeViewReport(takeId: take.id, watchMs: 1, completion: 1.5),
                TakeViewReport(takeId: take.id, watchMs: 1, completion: 0.5, rewatches: 101),
                TakeViewReport(takeId: take.id, watchMs: 3_600_001, completion: 0.5),
            ]
            for view in bad {
                #expect(try await api.post("/api/v1/takes/views", TakeViewsRequest(views: [view]), token: bob.accessToken).status == 422)
            }
            #expect(try await api.post("/api/v1/takes/views", TakeViewsRequest(views: []), token: bob.accessToken).status == 422)
            let many = Array(repeating: report, count: 51)
            #expect(try await api.post("/api/v1/takes/views", TakeViewsRequest(views: many), token: bob.accessToken).status == 422)
            #expect(try await api.take(take.id).viewCount == 2)
        }
    }
}
