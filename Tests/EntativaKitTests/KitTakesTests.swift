import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("EntativaKit: Takes")
struct KitTakesTests {
    @Test("Every Takes route through its SDK method: Takes, views, the feed, sounds, trends, templates, Behind-the-Takes")
    func everyRoute() async throws {
        try await TestApp.run(platform: .vignette, testMode: .live) { app, api in
            let port = try #require(api.port)
            let ada = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let bob = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let adaID = try await ada.register(RegisterRequest(username: "kit_ada", email: "ada@example.com", password: TestAPI.defaultPassword)).account.id
            _ = try await bob.register(RegisterRequest(username: "kit_bob", email: "bob@example.com", password: TestAPI.defaultPassword))
            let videoFile = try await Fixtures.video(seconds: 15, width: 72, height: 128, rate: 5)
            let video = try await ada.uploadMedia(try Data(contentsOf: videoFile), fileName: "take.mp4")
            let audio = try await ada.uploadMedia(try Data(contentsOf: try await Fixtures.audio(seconds: 3)), fileName: "tone.wav")
            try await app.runJobs()

            let take = try await ada.postTake(
                CreateTakeRequest(mediaId: video.id, caption: "kit #sdk", music: TakeMusicInput(mediaId: audio.id, title: "Tone")), idempotencyKey: "kit-take")
            #expect(try await ada.take(take.id).post.hashtags == ["sdk"])
            #expect(try await ada.updateTake(take.id, UpdateTakeRequest(coverAtMs: 500)).coverAtMs == 500)
            #expect(try await bob.takes(of: adaID).items.map(\.id) == [take.id])
            #expect(try await bob.takesFeed().items.map(\.take.id) == [take.id])
            #expect(try await bob.reportTakeViews([TakeViewReport(takeId: take.id, watchMs: 15_000, completion: 1)]).newViews == 1)
            let sound = try #require(take.sound)
            #expect(try await bob.sound(sound.id).title == "Tone")
            #expect(try await bob.takes(using: sound.id).items.map(\.id) == [take.id])

            let trend = try #require(take.trends.first { $0.kind == .hashtag })
            #expect(try await bob.takeTrend(trend.trendId).originator?.id == adaID)
            #expect(try await bob.trendTakes(trend.trendId).items.map(\.id) == [take.id])
            #expect(try await bob.takeTrends(kind: .hashtag).items.isEmpty, "one creator is not a trend yet")

            let template = try await ada.createTemplate(CreateTemplateRequest(name: "Kit", fromTakeId: take.id, clips: [TemplateClipSlot(durationMs: 1_000)]))
            #expect(try await bob.template(template.id).sound?.id == sound.id)
            #expect(try await bob.templates(order: .newest, creator: adaID).items.map(\.id) == [template.id])
            #expect(try await bob.templates(order: .trending).items.isEmpty, "trending lists templates used this week")

            let btt = try await ada.putBehindTheTake(take.id, BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "Step one")], software: ["Kit"]))
            #expect(btt.software == ["Kit"])
            try await bob.markBehindTheTakeViewed(take.id)
            try await bob.saveBehindTheTake(take.id)
            #expect(try await bob.behindTheTake(take.id).viewCount == 1)
            #expect(try await bob.savedBehindTheTakes().items.map(\.id) == [take.id])
            try await bob.saveBehindTheTake(take.id, saved: false)
            #expect(try await bob.savedBehindTheTakes().items.isEmpty)

            try await ada.deleteBehindTheTake(take.id)
            try await ada.deleteTemplate(template.id)
            try await ada.deleteTake(take.id)
            await #expect(throws: EntativaError.self) { try await bob.take(take.id) }
        }
    }
}
