import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Story highlights")
struct HighlightTests {
    func create(_ api: TestAPI, _ form: CreateHighlightRequest, token: String) async throws -> Highlight {
        let answer = try await api.post("/api/v1/highlights", form, token: token)
        guard answer.status == 201 else { throw StoryTestFailure(description: "highlight: \(answer.status) \(answer.text)") }
        return try answer.decode(Highlight.self)
    }

    @Test("A highlight keeps my stories, live or archived, in order, past their day; bad input is a 422 naming the field")
    func keeping() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            var ann = try await api.register("ann")
            var bob = try await api.register("bob")
            let first = try await api.postStory(app, token: ann.accessToken, caption: "first")
            let second = try await api.postStory(app, token: ann.accessToken, caption: "second")
            let bobs = try await api.postStory(app, token: bob.accessToken)
            let refused: [(CreateHighlightRequest, String)] = [
                (CreateHighlightRequest(title: " ", storyIds: [first.id]), "title"),
                (CreateHighlightRequest(title: String(repeating: "t", count: 41), storyIds: [first.id]), "title"),
                (CreateHighlightRequest(title: "Trip", storyIds: []), "story_ids"),
                (CreateHighlightRequest(title: "Trip", storyIds: [first.id, first.id]), "story_ids"),
                (CreateHighlightRequest(title: "Trip", storyIds: [first.id, bobs.id]), "story_ids"),
                (CreateHighlightRequest(title: "Trip", cover: HighlightCover(emoji: "🌊", storyId: first.id), storyIds: [first.id]), "cover"),
                (CreateHighlightRequest(title: "Trip", cover: HighlightCover(storyId: second.id), storyIds: [first.id]), "cover.story_id"),
                (CreateHighlightRequest(title: "Trip", cover: HighlightCover(emoji: "🌊", color: "blue"), storyIds: [first.id]), "cover.color"),
                (CreateHighlightRequest(title: "Trip", cover: HighlightCover(emoji: "7"), storyIds: [first.id]), "cover.emoji"),
            ]
            for (form, field) in refused {
                let answer = try await api.post("/api/v1/highlights", form, token: ann.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(field): \(answer.text)")
            }
            #expect(try await api.post("/api/v1/highlights", CreateHighlightRequest(title: "x", storyIds: [first.id])).status == 401)

            let trip = try await create(
                api, CreateHighlightRequest(title: "Trip", cover: HighlightCover(emoji: "🌊", color: "#00AAFF"), storyIds: [second.id, first.id]),
                token: ann.accessToken)
            #expect(trip.stories?.map(\.id) == [second.id, first.id] && trip.cover.color == "#00aaff" && trip.storyCount == 2)

            app.clock.advance(by: .seconds(2 * 86_400))
            ann = try await api.login(username: "ann")
            bob = try await api.login(username: "bob")
            let stranger = try await api.register("stranger")
            let later = try await api.get("/api/v1/highlights/\(trip.id)", token: stranger.accessToken).decode(Highlight.self)
            #expect(later.stories?.map(\.caption) == ["second", "first"], "expired stories live on in a highlight")
            #expect(try await api.get("/api/v1/stories/\(first.id)", token: stranger.accessToken).status == 404, "but not in the tray")

            // A highlight made without a cover takes a title-only edit.
            let plain = try await create(api, CreateHighlightRequest(title: "Plain", storyIds: [second.id]), token: ann.accessToken)
            let renamed = try await api.patch("/api/v1/highlights/\(plain.id)", UpdateHighlightRequest(title: "Renamed"), token: ann.accessToken)
            #expect(renamed.status == 200 && (try? renamed.decode(Highlight.self).title) == "Renamed", "\(renamed.text)")

            // Editing replaces the list; deleting a story takes it out.
            let edited = try await api.patch(
                "/api/v1/highlights/\(trip.id)", UpdateHighlightRequest(title: "Summer", cover: HighlightCover(storyId: first.id), storyIds: [first.id]),
                token: ann.accessToken).decode(Highlight.self)
            #expect(edited.title == "Summer" && edited.stories?.map(\.id) == [first.id] && edited.cover.storyId == first.id)
            #expect(try await api.patch("/api/v1/highlights/\(trip.id)", UpdateHighlightRequest(title: "Mine"), token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/stories/\(first.id)", token: ann.accessToken).status == 204)
            let emptied = try await api.get("/api/v1/highlights/\(trip.id)", token: ann.accessToken).decode(Highlight.self)
            #expect(emptied.stories == [] && emptied.cover.storyId == nil)
            #expect(try await api.get("/api/v1/highlights/\(trip.id)", token: stranger.accessToken).status == 404, "nothing left to watch")
            #expect(try await api.delete("/api/v1/highlights/\(trip.id)", token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/highlights/\(trip.id)", token: ann.accessToken).status == 204)
            #expect(try await api.get("/api/v1/highlights/\(trip.id)", token: ann.accessToken).status == 404)
        }
    }

    @Test("Pinned highlights come first, then the owner's order; reordering must name each once; 100 is the most")
    func ordering() async throws {
        try await TestApp.run(platform: .vignette) { app, api in
            let ann = try await api.register("ann")
            let story = try await api.postStory(app, token: ann.accessToken)
            var made: [Highlight] = []
            for title in ["a", "b", "c"] {
                made.append(try await create(api, CreateHighlightRequest(title: title, storyIds: [story.id], pinned: title == "c"), token: ann.accessToken))
            }
            func titles() async throws -> [String] {
                try await api.get("/api/v1/accounts/\(ann.account.id)/highlights").decode(Page<Highlight>.self).items.map(\.title)
            }
            #expect(try await titles() == ["c", "a", "b"])
            let reordered = try await api.put(
                "/api/v1/highlights/order", ReorderHighlightsRequest(highlightIds: [made[1].id, made[2].id, made[0].id]), token: ann.accessToken)
            #expect(try reordered.decode(Page<Highlight>.self).items.map(\.title) == ["c", "b", "a"])
            #expect(try await titles() == ["c", "b", "a"])
            for ids in [[made[0].id, made[1].id], [made[0].id, made[0].id, made[1].id], [made[0].id, made[1].id, made[2].id, HighlightID(rawValue: 9)]] {
                let answer = try await api.put("/api/v1/highlights/order", ReorderHighlightsRequest(highlightIds: ids), token: ann.accessToken)
                #expect(answer.status == 422 && answer.fieldErrors == ["highlight_ids"])
            }
            for index in 3..<100 {
                _ = try await create(api, CreateHighlightRequest(title: "h\(index)", storyIds: [story.id]), token: ann.accessToken)
            }
            let full = try await api.post("/api/v1/highlights", CreateHighlightRequest(title: "more", storyIds: [story.id]), token: ann.accessToken)
            #expect(full.status == 409 && full.problem?.type.hasSuffix("highlight-limit") == true)
        }
    }

    @Test("Each viewer sees a highlight's stories by their audience, hide-from list, blocks and the account's privacy", arguments: Platform.allCases)
    func audiences(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let ann = try await api.register("ann")
            let fan = try await api.register("fan")
            let close = try await api.register("close")
            let stranger = try await api.register("stranger")
            let blocked = try await api.register("blocked")
            for viewer in [fan, close] {
                if platform == .entativa { try await api.befriend(ann, viewer) } else { try await api.follow(viewer, ann) }
            }
            _ = try await api.post("/api/v1/accounts/\(close.account.id)/close-friend", token: ann.accessToken)
            _ = try await api.post("/api/v1/accounts/\(blocked.account.id)/block", token: ann.accessToken)
            let open = try await api.postStory(app, token: ann.accessToken, caption: "open")
            let inner = try await api.postStory(app, token: ann.accessToken, caption: "inner", audience: .closeFriends)
            let notForFan = try await api.postStory(app, token: ann.accessToken, caption: "not for fan", hideFrom: [fan.account.id])
            let all = try await create(api, CreateHighlightRequest(title: "All", storyIds: [open.id, inner.id, notForFan.id]), token: ann.accessToken)
            let closeOnly = try await create(api, CreateHighlightRequest(title: "Close", storyIds: [inner.id]), token: ann.accessToken)
            let covered = try await create(
                api, CreateHighlightRequest(title: "Covered", cover: HighlightCover(storyId: inner.id), storyIds: [open.id, inner.id]), token: ann.accessToken)
            app.clock.advance(by: .seconds(86_400))

            let expected: [(String, AuthTokens?, [String], [String])] = [
                ("fan", fan, ["open"], ["All"]),
                ("close", close, ["open", "inner", "not for fan"], ["All", "Close"]),
                ("stranger", stranger, ["open", "not for fan"], ["All"]),
                ("anonymous", nil, ["open", "not for fan"], ["All"]),
            ]
            for (who, viewer, captions, titles) in expected {
                let token = viewer == nil ? nil : try await api.login(username: who).accessToken
                let highlight = try await api.get("/api/v1/highlights/\(all.id)", token: token).decode(Highlight.self)
                #expect(highlight.stories?.map(\.caption) == captions, "\(who)")
                #expect(highlight.storyCount == captions.count, "\(who)")
                let listed = try await api.get("/api/v1/accounts/\(ann.account.id)/highlights", token: token).decode(Page<Highlight>.self)
                #expect(listed.items.map(\.title).filter { $0 != "Covered" } == titles, "\(who)")
                let status = try await api.get("/api/v1/highlights/\(closeOnly.id)", token: token).status
                #expect(status == (titles.contains("Close") ? 200 : 404), "\(who)")
                let cover = try await api.get("/api/v1/highlights/\(covered.id)", token: token).decode(Highlight.self).cover.storyId
                #expect(cover == (captions.contains("inner") ? inner.id : nil), "\(who): a cover story the viewer may not watch is not named")
            }
            let blockedToken = try await api.login(username: "blocked").accessToken
            #expect(try await api.get("/api/v1/highlights/\(all.id)", token: blockedToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/highlights", token: blockedToken).status == 404)

            let annToken = try await api.login(username: "ann").accessToken
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: annToken).status == 200)
            let strangerToken = try await api.login(username: "stranger").accessToken
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/highlights", token: strangerToken).status == 403)
            #expect(try await api.get("/api/v1/highlights/\(all.id)", token: strangerToken).status == 404)
            let fanToken = try await api.login(username: "fan").accessToken
            #expect(try await api.get("/api/v1/accounts/\(ann.account.id)/highlights", token: fanToken).decode(Page<Highlight>.self).items.map(\.title) == ["All", "Covered"])
        }
    }
}
