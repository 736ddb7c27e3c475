import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@testable import Takes

@Suite("Takes: templates and sounds")
struct TemplateTests {
    @Test("A template from my Take brings its sound; beat markers are checked against the track; using it credits its creator and counts")
    func fromTakeAndUse() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let audio = try await api.readyMedia(app, try await Fixtures.audio(seconds: 4), token: ann.accessToken)
            let take = try await api.postTake(app, music: TakeMusicInput(mediaId: audio, title: "Tone", startMs: 500), token: ann.accessToken)
            let sound = try #require(take.sound)
            #expect(sound.title == "Tone" && (3_900...4_100).contains(sound.durationMs) && sound.useCount == 1 && take.soundStartMs == 500)
            #expect(take.trends.contains { $0.kind == .sound && $0.isOrigin })

            let clips = [TemplateClipSlot(durationMs: 1_500), TemplateClipSlot(durationMs: 1_500)]
            // The sound lasts about 4 s and plays from 0.5 s: 3.4 s is past its end.
            let bad: [(CreateTemplateRequest, String)] = [
                (CreateTemplateRequest(name: "", clips: clips), "name"),
                (CreateTemplateRequest(name: "x", clips: []), "clips"),
                (CreateTemplateRequest(name: "x", clips: [TemplateClipSlot(durationMs: 50)]), "clips[0].duration_ms"),
                (CreateTemplateRequest(name: "x", clips: clips, transitions: [TemplateTransition(atMs: 3_001, kind: "fade")]), "transitions[0].at_ms"),
                (CreateTemplateRequest(name: "x", clips: clips, transitions: [TemplateTransition(atMs: 1_500, kind: "teleport")]), "transitions[0].kind"),
                (CreateTemplateRequest(name: "x", clips: clips, effects: [TemplateEffect(name: "blur", startMs: 2_000, endMs: 1_000)]), "effects[0].end_ms"),
                (CreateTemplateRequest(name: "x", clips: clips, beatMarkersMs: [500, 400]), "beat_markers_ms"),
                (CreateTemplateRequest(name: "x", clips: clips, beatMarkersMs: [500]), "beat_markers_ms"),
                (CreateTemplateRequest(name: "x", fromTakeId: take.id, clips: [TemplateClipSlot(durationMs: 5_000)], beatMarkersMs: [3_600]), "beat_markers_ms"),
                (CreateTemplateRequest(name: "x", fromTakeId: take.id, clips: clips, textOverlays: [TemplateTextOverlay(text: "hi", startMs: 0, endMs: 10, x: 2, y: 0)]), "text_overlays[0].x"),
                (CreateTemplateRequest(name: "x", fromTakeId: take.id, clips: clips), ""),
            ]
            for (form, field) in bad where !field.isEmpty {
                let answer = try await api.post("/api/v1/templates", form, token: ann.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(field): \(answer.text)")
            }
            #expect(try await api.post("/api/v1/templates", CreateTemplateRequest(name: "x", fromTakeId: take.id, clips: clips), token: bob.accessToken).status == 422,
                    "a template is made from my own Take only")

            let template = try await api.post(
                "/api/v1/templates",
                CreateTemplateRequest(
                    name: "Two cuts", fromTakeId: take.id, clips: clips, transitions: [TemplateTransition(atMs: 1_500, kind: "whip")],
                    effects: [TemplateEffect(name: "zoom", startMs: 0, endMs: 1_500, parameters: ["scale": 1.2])], beatMarkersMs: [0, 750, 1_500, 2_250, 3_000],
                    textOverlays: [TemplateTextOverlay(text: "Go!", startMs: 0, endMs: 1_000, x: 0.5, y: 0.2)]),
                token: ann.accessToken)
            #expect(template.status == 201, "\(template.text)")
            let made = try template.decode(TakeTemplate.self)
            #expect(made.sound?.id == sound.id && made.soundStartMs == 500 && made.durationMs == 3_000 && made.sourceTakeId == take.id && made.useCount == 0)

            // bob uses it, with its sound.
            let bobs = try await api.postTake(app, music: TakeMusicInput(soundId: sound.id), templateId: made.id, token: bob.accessToken)
            #expect(bobs.template?.templateId == made.id && bobs.template?.creator?.id == ann.account.id)
            #expect(bobs.sound?.id == sound.id && bobs.sound?.useCount == 2)
            let templateTrend = bobs.trends.first { $0.kind == .template }
            #expect(templateTrend?.originTakeId == take.id && templateTrend?.originator?.id == ann.account.id, "a template made from a Take starts its trend there")
            #expect(bobs.trends.first { $0.kind == .sound }?.originTakeId == take.id)
            #expect(try await api.get("/api/v1/templates/\(made.id)").decode(TakeTemplate.self).useCount == 1)
            let usingSound = try await api.get("/api/v1/sounds/\(sound.id)/takes").decode(Page<Take>.self)
            #expect(usingSound.items.map(\.id) == [bobs.id, take.id])

            // The gallery: newest, trending, by creator.
            let scratch = try await api.post("/api/v1/templates", CreateTemplateRequest(name: "Plain", clips: clips), token: bob.accessToken).decode(TakeTemplate.self)
            #expect(try await api.get("/api/v1/templates").decode(Page<TakeTemplate>.self).items.map(\.id) == [scratch.id, made.id])
            #expect(try await api.get("/api/v1/templates?order=trending").decode(Page<TakeTemplate>.self).items.map(\.id) == [made.id], "only templates used this week")
            #expect(try await api.get("/api/v1/templates?creator_id=\(ann.account.id)").decode(Page<TakeTemplate>.self).items.map(\.id) == [made.id])
            let paged = try await api.get("/api/v1/templates?limit=1").decode(Page<TakeTemplate>.self)
            #expect(paged.items.map(\.id) == [scratch.id])
            #expect(try await api.get("/api/v1/templates?limit=1&cursor=\(try #require(paged.nextCursor))").decode(Page<TakeTemplate>.self).items.map(\.id) == [made.id])
            #expect(try await api.get("/api/v1/templates?order=best").status == 422)
            #expect(try await api.get("/api/v1/templates?cursor=x").status == 422)

            // Deleting bob's Take lowers the count; only the creator deletes a template.
            #expect(try await api.delete("/api/v1/takes/\(bobs.id)", token: bob.accessToken).status == 204)
            try await app.runJobs()
            #expect(try await api.get("/api/v1/templates/\(made.id)").decode(TakeTemplate.self).useCount == 0)
            #expect(try await api.delete("/api/v1/templates/\(made.id)", token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/templates/\(made.id)", token: ann.accessToken).status == 204)
            #expect(try await api.get("/api/v1/templates/\(made.id)").status == 404)
        }
    }

    @Test("A private creator's templates and sounds reach only followers; a blocked one's nobody")
    func visibility() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let fan = try await api.register("fan")
            let other = try await api.register("other")
            let audio = try await api.readyMedia(app, try await Fixtures.audio(seconds: 3), token: ann.accessToken)
            let take = try await api.postTake(app, music: TakeMusicInput(mediaId: audio), token: ann.accessToken)
            let template = try await api.post(
                "/api/v1/templates", CreateTemplateRequest(name: "Mine", clips: [TemplateClipSlot(durationMs: 2_000)]), token: ann.accessToken
            ).decode(TakeTemplate.self)
            let withSound = try await api.post(
                "/api/v1/templates", CreateTemplateRequest(name: "Sound", fromTakeId: take.id, clips: [TemplateClipSlot(durationMs: 2_000)]),
                token: ann.accessToken
            ).decode(TakeTemplate.self)
            #expect(try await api.get("/api/v1/templates/\(withSound.id)", token: other.accessToken).decode(TakeTemplate.self).sound?.media != nil)
            // Narrowing the Take that brought the sound takes it out of everything that reuses it.
            _ = try await api.patch("/api/v1/takes/\(take.id)", UpdateTakeRequest(audience: .onlyMe), token: ann.accessToken)
            let narrowed = try await api.get("/api/v1/templates/\(withSound.id)", token: other.accessToken).decode(TakeTemplate.self)
            #expect(narrowed.sound == nil && narrowed.sourceTakeId == nil, "neither the audio nor its title or creator")
            _ = try await api.patch("/api/v1/takes/\(take.id)", UpdateTakeRequest(audience: .public), token: ann.accessToken)
            try await api.follow(fan, ann)
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: ann.accessToken).status == 200)
            #expect(try await api.get("/api/v1/templates/\(template.id)", token: other.accessToken).status == 404)
            #expect(try await api.get("/api/v1/templates/\(template.id)").status == 404)
            #expect(try await api.get("/api/v1/templates/\(template.id)", token: fan.accessToken).status == 200)
            #expect(try await api.get("/api/v1/templates", token: other.accessToken).decode(Page<TakeTemplate>.self).items.isEmpty)
            let sound = try #require(take.sound?.id)
            #expect(try await api.get("/api/v1/sounds/\(sound)", token: other.accessToken).status == 404)
            #expect(try await api.get("/api/v1/sounds/\(sound)", token: fan.accessToken).status == 200)
            let reuse = try await api.readyVideo(app, token: other.accessToken)
            let refused = try await api.post("/api/v1/takes", CreateTakeRequest(mediaId: reuse, music: TakeMusicInput(soundId: sound)), token: other.accessToken)
            #expect(refused.status == 422 && refused.fieldErrors == ["music.sound_id"])
            let templated = try await api.post("/api/v1/takes", CreateTakeRequest(mediaId: reuse, templateId: template.id), token: other.accessToken)
            #expect(templated.status == 422 && templated.fieldErrors == ["template_id"])

            #expect(try await api.post("/api/v1/accounts/\(fan.account.id)/block", token: ann.accessToken).status == 200)
            #expect(try await api.get("/api/v1/templates/\(template.id)", token: fan.accessToken).status == 404)
        }
    }

    @Test("Deleting an account takes its Takes, sounds, templates, Behind-the-Takes, views and trend entries")
    func erasure() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let gone = try await api.register("gone")
            let stays = try await api.register("stays")
            let audio = try await api.readyMedia(app, try await Fixtures.audio(seconds: 3), token: gone.accessToken)
            let take = try await api.postTake(app, caption: "#mine", music: TakeMusicInput(mediaId: audio), token: gone.accessToken)
            _ = try await api.put("/api/v1/takes/\(take.id)/behind", BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "x")]), token: gone.accessToken)
            _ = try await api.post("/api/v1/templates", CreateTemplateRequest(name: "T", fromTakeId: take.id, clips: [TemplateClipSlot(durationMs: 1_000)]), token: gone.accessToken)
            let theirs = try await api.postTake(app, caption: "#mine too", token: stays.accessToken)
            _ = try await api.put("/api/v1/takes/\(theirs.id)/behind", BehindTheTakeRequest(steps: [BehindTheTakeStepInput(text: "y")]), token: stays.accessToken)
            _ = try await api.reportViews([TakeViewReport(takeId: theirs.id, watchMs: 1_000, completion: 0.5)], token: gone.accessToken)
            _ = try await api.post("/api/v1/takes/\(theirs.id)/behind/views", token: gone.accessToken)
            _ = try await api.put("/api/v1/takes/\(theirs.id)/behind/saved", Empty(), token: gone.accessToken)

            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: gone.accessToken).status == 202)
            try await app.runJobs()
            let sql = app.kernel.database.sql
            let id = gone.account.id.rawValue
            func count(_ query: String) async throws -> Int {
                try await sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await count("SELECT COUNT(*) AS n FROM takes WHERE author_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_sounds WHERE creator_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_templates WHERE creator_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_btt WHERE author_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_views WHERE viewer_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_btt_views WHERE viewer_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_btt_saves WHERE account_id = \(id)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM take_trend_entries WHERE account_id = \(id)") == 0)
            let stayed = try await api.get("/api/v1/takes/\(theirs.id)/behind", token: stays.accessToken).decode(BehindTheTake.self)
            #expect(stayed.viewCount == 0 && stayed.savedCount == 0)
            let credit = try await api.take(theirs.id).trends.first
            #expect(credit != nil && credit?.originator == nil && credit?.originTakeId == nil, "the trend stays, crediting nobody visible")
        }
    }
}
