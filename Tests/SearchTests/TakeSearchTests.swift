import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Search: Takes have their own section")
struct TakeSearchTests {
    @Test("A Take is found under takes, rendered as a Take, and not under posts; a private Take only by whoever may see it")
    func takes() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let upload = try await api.uploadMedia(
                try Data(contentsOf: try await Fixtures.video(seconds: 15, width: 72, height: 128, rate: 5)), filename: "take.mp4", token: ann.accessToken)
            try await app.runJobs()
            let video = try upload.decode(MediaAttachment.self).id
            let created = try await api.post("/api/v1/takes", CreateTakeRequest(mediaId: video, caption: "Salsa steps #dancechallenge"), token: ann.accessToken)
            #expect(created.status == 201, "\(created.text)")
            let take = try created.decode(Take.self)
            let photo = try await api.readyImage(app, token: ann.accessToken)
            _ = try await api.publish("salsa night photo", mediaIds: [photo], token: ann.accessToken)
            try await app.runJobs()

            let found = try await api.search("salsa", type: "takes,posts", token: bob.accessToken)
            #expect(found.takes?.items.map(\.id) == [take.id] && found.takes?.items.first?.durationMs ?? 0 >= 15_000)
            #expect(found.posts?.items.map(\.text) == ["salsa night photo"])
            #expect(try await api.search("#dancechallenge", type: "takes").takes?.items.count == 1)

            #expect(try await api.patch("/api/v1/posts/\(take.id)", UpdatePostRequest(audience: .onlyMe), token: ann.accessToken).status == 200)
            try await app.runJobs()
            #expect(try await api.search("salsa", type: "takes", token: bob.accessToken).takes?.items.isEmpty == true)
            #expect(try await api.search("salsa", type: "takes", token: ann.accessToken).takes?.items.count == 1)
        }
    }
}
