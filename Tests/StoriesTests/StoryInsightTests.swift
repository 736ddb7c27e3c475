import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Story insights and replies")
struct StoryInsightTests {
    /// One active device of an account, for sending as it.
    struct Device {
        var registered: RegisteredDevice
        var headers: HTTPFields {
            [HTTPField.Name("X-Device-ID")!: String(registered.device.id), HTTPField.Name("X-Device-Secret")!: registered.deviceSecret]
        }

        func envelope(to account: AccountID, _ text: String) -> OutgoingEnvelope {
            OutgoingEnvelope(
                accountId: account, deviceId: registered.device.id, registrationId: registered.device.registrationId, type: .message,
                content: Data(text.utf8).base64EncodedString())
        }
    }

    func device(_ api: TestAPI, _ tokens: AuthTokens) async throws -> Device {
        let keys = try DeviceKeys.generate(oneTimePreKeys: 2)
        let answer = try await api.post("/api/v1/devices", keys.registration(name: "phone"), token: tokens.accessToken)
        guard answer.status == 201 else { throw StoryTestFailure(description: "device: \(answer.status) \(answer.text)") }
        return Device(registered: try answer.decode(RegisteredDevice.self))
    }

    @Test("Insights as computed by hand: views with repeats, reach, interaction rate, peak hour, answers by kind, replies, taps and exits")
    func insights() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            // Everything happens from a whole hour on, so the hours below are easy to count.
            let start = app.clock.nowMillis()
            app.clock.advance(by: .milliseconds(3_600_000 - start % 3_600_000))
            var ann = try await api.register("ann")
            var followers: [AuthTokens] = []
            for index in 1...8 {
                let follower = try await api.register("follower\(index)")
                try await api.follow(follower, ann)
                followers.append(follower)
            }
            let stranger = try await api.register("stranger")
            let story = try await api.post(
                "/api/v1/stories",
                CreateStoryRequest(
                    mediaId: try await api.readyImage(app, token: ann.accessToken),
                    stickers: [
                        StickerInput(kind: .poll, placement: StickerPlacement(x: 0.5, y: 0.5), options: ["yes", "no"]),
                        StickerInput(kind: .question, placement: StickerPlacement(x: 0.5, y: 0.2), question: "Ask"),
                    ]),
                token: ann.accessToken
            ).decode(Story.self)
            let postedAt = app.clock.nowMillis() - app.clock.nowMillis() % 3_600_000

            // Hour 0: followers 1–2 and the stranger; hour 1: followers 3–6. Follower 1 comes back
            // three more times, the stranger once.
            var tokens: [String: String] = [:]
            for viewer in [followers[0], followers[1], stranger] {
                #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: viewer.accessToken).status == 204)
                tokens[viewer.account.username] = viewer.accessToken
            }
            app.clock.advance(by: .seconds(3_600))
            for viewer in followers[2...5] {
                let token = try await api.login(username: viewer.account.username).accessToken
                #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: token).status == 204)
                tokens[viewer.account.username] = token
            }
            let firstToken = try await api.login(username: "follower1").accessToken
            for _ in 1...3 { _ = try await api.post("/api/v1/stories/\(story.id)/views", token: firstToken) }
            let strangerToken = try await api.login(username: "stranger").accessToken
            _ = try await api.post("/api/v1/stories/\(story.id)/views", token: strangerToken)

            // Three poll votes and one question answer.
            for name in ["follower3", "follower4", "follower5"] {
                let answer = try await api.post(
                    "/api/v1/stories/\(story.id)/stickers/\(story.stickers[0].id)/responses", StickerResponseRequest(option: 0), token: tokens[name])
                #expect(answer.status == 200)
            }
            _ = try await api.post(
                "/api/v1/stories/\(story.id)/stickers/\(story.stickers[1].id)/responses", StickerResponseRequest(text: "hi"), token: tokens["follower6"])

            // Navigation: 25 taps forward by one viewer count 20; own and invisible events are dropped.
            let forward = Array(repeating: StoryNavigationEvent(storyId: story.id, action: .forward), count: 25)
            let reported = try await api.post("/api/v1/stories/navigation", StoryNavigationRequest(events: forward), token: firstToken)
            #expect(try reported.decode(StoryNavigationResult.self).accepted == 25)
            let mixed = [
                StoryNavigationEvent(storyId: story.id, action: .back), StoryNavigationEvent(storyId: story.id, action: .exit),
                StoryNavigationEvent(storyId: story.id, action: .exit), StoryNavigationEvent(storyId: StoryID(rawValue: 999), action: .exit),
            ]
            #expect(try await api.post("/api/v1/stories/navigation", StoryNavigationRequest(events: mixed), token: tokens["follower3"])
                .decode(StoryNavigationResult.self).accepted == 3)
            ann = try await api.login(username: "ann")
            #expect(try await api.post("/api/v1/stories/navigation", StoryNavigationRequest(events: mixed), token: ann.accessToken)
                .decode(StoryNavigationResult.self).accepted == 0)
            #expect(try await api.post("/api/v1/stories/navigation", StoryNavigationRequest(events: []), token: ann.accessToken).fieldErrors == ["events"])
            let tooMany = Array(repeating: StoryNavigationEvent(storyId: story.id, action: .back), count: 101)
            #expect(try await api.post("/api/v1/stories/navigation", StoryNavigationRequest(events: tooMany), token: ann.accessToken).status == 422)

            let insights = try await api.get("/api/v1/stories/\(story.id)/insights", token: ann.accessToken).decode(StoryInsights.self)
            // 7 viewers; follower 1 viewed 4 times, the stranger twice: 7 + 3 + 1 = 11 views.
            #expect(insights.uniqueViewers == 7 && insights.totalViews == 11)
            // 7 of 8 followers' worth: 87.5 %.
            #expect(insights.audienceSize == 8 && insights.reachPercent == 87.5)
            // (3 votes + 1 answer) ÷ 7 viewers = 57.1 %.
            #expect(insights.interactionRatePercent == 57.1)
            #expect(insights.peakHour == Date(millisecondsSince1970: postedAt + 3_600_000) && insights.peakHourViews == 4)
            #expect(insights.stickerInteractions == ["poll": 3, "question": 1])
            #expect(insights.tapsForward == 20 && insights.tapsBack == 1 && insights.exits == 2 && insights.replies == 0)
            #expect(try await api.get("/api/v1/stories/\(story.id)/insights", token: tokens["follower3"]).status == 404)
            #expect(try await api.get("/api/v1/stories/\(story.id)/insights").status == 401)
        }
    }

    @Test("A reply is an encrypted message naming the story, counted and notified; only viewers who may watch it may reply")
    func replies() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            try await api.follow(bob, ann)
            let annPhone = try await device(api, ann)
            let bobPhone = try await device(api, bob)
            let catPhone = try await device(api, cat)
            let story = try await api.postStory(app, token: ann.accessToken, audience: .followers)

            let form = StoryReplyRequest(envelopes: [annPhone.envelope(to: ann.account.id, "ciphertext: 🔥")])
            let sent = try await api.post("/api/v1/stories/\(story.id)/replies", form, token: bob.accessToken, headers: bobPhone.headers)
            #expect(sent.status == 201, "\(sent.text)")
            let waiting = try await api.request(.get, "/api/v1/messages", token: ann.accessToken, headers: annPhone.headers).decode(Page<Envelope>.self)
            #expect(waiting.items.map(\.storyId) == [story.id] && waiting.items.first?.senderId == bob.account.id)
            #expect(waiting.items.first?.content == Data("ciphertext: 🔥".utf8).base64EncodedString(), "stored as sent: opaque")

            let outsider = try await api.post("/api/v1/stories/\(story.id)/replies", form, token: cat.accessToken, headers: catPhone.headers)
            #expect(outsider.status == 404, "cat does not follow ann, and the story is for followers")
            let own = try await api.post(
                "/api/v1/stories/\(story.id)/replies", StoryReplyRequest(envelopes: [bobPhone.envelope(to: bob.account.id, "x")]), token: ann.accessToken,
                headers: annPhone.headers)
            #expect(own.status == 403)
            let missing = try await api.post(
                "/api/v1/stories/\(story.id)/replies", StoryReplyRequest(envelopes: []), token: bob.accessToken, headers: bobPhone.headers)
            #expect(missing.status == 422)
            let noDevice = try await api.post("/api/v1/stories/\(story.id)/replies", form, token: bob.accessToken)
            #expect(noDevice.status == 404)
            let plain = try await api.post(
                "/api/v1/messages", SendMessageRequest(recipientId: ann.account.id, envelopes: form.envelopes), token: bob.accessToken,
                headers: bobPhone.headers)
            #expect(plain.status == 201)

            try await app.runJobs()
            let notices = try await api.get("/api/v1/notifications", token: ann.accessToken).decode(Page<NotificationGroup>.self).items
            #expect(notices.map(\.type).contains("story_reply"))
            let insights = try await api.get("/api/v1/stories/\(story.id)/insights", token: ann.accessToken).decode(StoryInsights.self)
            #expect(insights.replies == 1, "the plain message is not a reply")
            #expect(insights.interactionRatePercent == nil, "nobody marked it seen")
        }
    }
}
