import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Takes: Behind-the-Takes")
struct BehindTheTakeTests {
    @Test("Its author writes it; whoever may see the Take reads it; views count once, saves make a list; denials are 404s")
    func lifecycle() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let carl = try await api.register("carl")
            let take = try await api.postTake(app, caption: "how I did it", token: ann.accessToken)
            #expect(!take.hasBehindTheTake)
            let still = try await api.readyMedia(app, try await Fixtures.png(width: 64, height: 48), token: ann.accessToken)
            let scene = try await api.readyMedia(app, try await Fixtures.jpeg(width: 64, height: 48), token: ann.accessToken)
            let bobs = try await api.readyMedia(app, try await Fixtures.png(width: 64, height: 48), token: bob.accessToken)
            let form = BehindTheTakeRequest(
                steps: [BehindTheTakeStepInput(text: "Set up the light", mediaId: still), BehindTheTakeStepInput(text: "Shoot at dusk")],
                equipment: ["phone", "tripod"], software: ["CapCut"], tips: ["Shoot twice"], mediaIds: [scene])
            #expect(try await api.put("/api/v1/takes/\(take.id)/behind", form, token: bob.accessToken).status == 404)
            let bad: [(BehindTheTakeRequest, String)] = [
                (BehindTheTakeRequest(steps: []), "steps"),
                (BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "")]), "steps[0].text"),
                (BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "x")], equipment: Array(repeating: "a", count: 21)), "equipment"),
                (BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "x")], mediaIds: [bobs]), "media_ids"),
                (BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "x", mediaId: bobs)]), "steps"),
            ]
            for (body, field) in bad {
                let answer = try await api.put("/api/v1/takes/\(take.id)/behind", body, token: ann.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(field): \(answer.text)")
            }
            #expect(try await api.get("/api/v1/takes/\(take.id)/behind").status == 404, "nothing was written")

            let written = try await api.put("/api/v1/takes/\(take.id)/behind", form, token: ann.accessToken).decode(BehindTheTake.self)
            #expect(written.steps.map(\.text) == ["Set up the light", "Shoot at dusk"] && written.steps[0].media?.id == still)
            #expect(written.equipment == ["phone", "tripod"] && written.media.map(\.id) == [scene] && written.media[0].isPrivate)
            #expect(try await api.take(take.id).hasBehindTheTake)

            // Replacing keeps what stays and lets go of what goes.
            let replaced = try await api.put(
                "/api/v1/takes/\(take.id)/behind", BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "Just one")], mediaIds: [scene]),
                token: ann.accessToken
            ).decode(BehindTheTake.self)
            #expect(replaced.steps.count == 1 && replaced.media.map(\.id) == [scene])

            #expect(try await api.post("/api/v1/takes/\(take.id)/behind/views", token: bob.accessToken).status == 204)
            #expect(try await api.post("/api/v1/takes/\(take.id)/behind/views", token: bob.accessToken).status == 204)
            #expect(try await api.post("/api/v1/takes/\(take.id)/behind/views", token: ann.accessToken).status == 204)
            #expect(try await api.put("/api/v1/takes/\(take.id)/behind/saved", Empty(), token: bob.accessToken).status == 204)
            #expect(try await api.put("/api/v1/takes/\(take.id)/behind/saved", Empty(), token: bob.accessToken).status == 204)
            var read = try await api.get("/api/v1/takes/\(take.id)/behind", token: bob.accessToken).decode(BehindTheTake.self)
            #expect(read.viewCount == 1 && read.savedCount == 1 && read.saved == true)
            let saved = try await api.get("/api/v1/behind-the-takes/saved", token: bob.accessToken).decode(Page<Take>.self)
            #expect(saved.items.map(\.id) == [take.id])
            #expect(try await api.get("/api/v1/behind-the-takes/saved", token: carl.accessToken).decode(Page<Take>.self).items.isEmpty)
            #expect(try await api.delete("/api/v1/takes/\(take.id)/behind/saved", token: bob.accessToken).status == 204)
            read = try await api.get("/api/v1/takes/\(take.id)/behind", token: bob.accessToken).decode(BehindTheTake.self)
            #expect(read.savedCount == 0 && read.saved == false)

            // It follows the Take's audience.
            _ = try await api.patch("/api/v1/takes/\(take.id)", UpdateTakeRequest(audience: .onlyMe), token: ann.accessToken)
            #expect(try await api.get("/api/v1/takes/\(take.id)/behind", token: bob.accessToken).status == 404)
            #expect(try await api.post("/api/v1/takes/\(take.id)/behind/views", token: carl.accessToken).status == 404)
            #expect(try await api.put("/api/v1/takes/\(take.id)/behind/saved", Empty(), token: carl.accessToken).status == 404)
            #expect(try await api.get("/api/v1/takes/\(take.id)/behind", token: ann.accessToken).status == 200)

            #expect(try await api.delete("/api/v1/takes/\(take.id)/behind", token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/takes/\(take.id)/behind", token: ann.accessToken).status == 204)
            #expect(try await api.get("/api/v1/takes/\(take.id)/behind", token: ann.accessToken).status == 404)
            #expect(try await !api.take(take.id, token: ann.accessToken).hasBehindTheTake)
        }
    }
}

struct Empty: Codable, Sendable {}
