import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

/// The audience × viewer matrix over every story read: one story, an account's stories, the
/// tray and marking a story seen, on both networks.
@Suite("Story audiences")
struct StoryAudienceTests {
    @Test("Each viewer sees exactly the stories their place in the audience allows, through every read", arguments: Platform.allCases)
    func matrix(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ann = try await api.register("ann")
            let fan = try await api.register("fan")
            let close = try await api.register("close")
            let hidden = try await api.register("hidden")
            let stranger = try await api.register("stranger")
            let blocked = try await api.register("blocked")
            for viewer in [fan, close, hidden, blocked] {
                if platform == .entativa { try await api.befriend(ann, viewer) } else { try await api.follow(viewer, ann) }
            }
            #expect(try await api.post("/api/v1/accounts/\(close.account.id)/close-friend", token: ann.accessToken).status == 200)
            #expect(try await api.post("/api/v1/accounts/\(blocked.account.id)/block", token: ann.accessToken).status == 200)

            let network: StoryAudience = platform == .entativa ? .friends : .followers
            let everyone = try await api.postStory(app, token: ann.accessToken, caption: "everyone")
            let mine = try await api.postStory(app, token: ann.accessToken, caption: "network", audience: network)
            let closest = try await api.postStory(app, token: ann.accessToken, caption: "close", audience: .closeFriends)
            let notHidden = try await api.postStory(app, token: ann.accessToken, caption: "hide", hideFrom: [hidden.account.id])
            let all = [everyone.id, mine.id, closest.id, notHidden.id]

            let expected: [(String, AuthTokens?, [StoryID])] = [
                ("author", ann, all),
                ("network", fan, [everyone.id, mine.id, notHidden.id]),
                ("close friend", close, all),
                ("hidden from", hidden, [everyone.id, mine.id]),
                ("stranger", stranger, [everyone.id, notHidden.id]),
                ("blocked", blocked, []),
                ("anonymous", nil, [everyone.id, notHidden.id]),
            ]
            for (who, viewer, visible) in expected {
                let token = viewer?.accessToken
                for id in all {
                    let status = try await api.get("/api/v1/stories/\(id)", token: token).status
                    #expect(status == (visible.contains(id) ? 200 : 404), "\(who) reading \(id)")
                }
                let listed = try await api.get("/api/v1/accounts/\(ann.account.id)/stories", token: token)
                if who == "blocked" {
                    #expect(listed.status == 404, "a blocked viewer does not see the account")
                } else {
                    #expect(try listed.decode(Page<Story>.self).items.map(\.id) == visible, "\(who) listing")
                }
                guard let token else { continue }
                let tray = try await api.tray(token: token).items
                let annInTray = tray.first { $0.account.id == ann.account.id }
                if who == "stranger" || who == "blocked" {
                    #expect(annInTray == nil, "\(who): only followed accounts fill a tray")
                } else {
                    #expect(annInTray?.storyCount == visible.count, "\(who)'s tray")
                    #expect(annInTray?.closeFriends == visible.contains(closest.id), "\(who)'s ring")
                }
                for id in all {
                    let status = try await api.post("/api/v1/stories/\(id)/views", token: token).status
                    #expect(status == (visible.contains(id) ? 204 : 404), "\(who) marking \(id) seen")
                }
            }
            // Only the author learns the audience, the list and the count.
            let seenByAuthor = try await api.get("/api/v1/stories/\(notHidden.id)", token: ann.accessToken).decode(Story.self)
            #expect(seenByAuthor.audience == .public && seenByAuthor.hideFrom == [hidden.account.id] && seenByAuthor.viewCount == 3)
            let seenByFan = try await api.get("/api/v1/stories/\(notHidden.id)", token: fan.accessToken).decode(Story.self)
            #expect(seenByFan.audience == nil && seenByFan.hideFrom == nil && seenByFan.viewCount == nil && seenByFan.seen)
        }
    }

    @Test("A private account's stories reach only its followers or friends, whatever their audience", arguments: Platform.allCases)
    func privateAccount(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let quiet = try await api.register("quiet")
            let fan = try await api.register("fan")
            let stranger = try await api.register("stranger")
            if platform == .entativa { try await api.befriend(quiet, fan) } else { try await api.follow(fan, quiet) }
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: quiet.accessToken).status == 200)
            let story = try await api.postStory(app, token: quiet.accessToken)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: fan.accessToken).status == 200)
            #expect(try await api.get("/api/v1/stories/\(story.id)", token: stranger.accessToken).status == 404)
            #expect(try await api.get("/api/v1/stories/\(story.id)").status == 404)
            #expect(try await api.get("/api/v1/accounts/\(quiet.account.id)/stories").decode(Page<Story>.self).items.isEmpty)
            #expect(try await api.post("/api/v1/stories/\(story.id)/views", token: stranger.accessToken).status == 404)
        }
    }
}
