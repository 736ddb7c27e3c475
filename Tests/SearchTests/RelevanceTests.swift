import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Search: relevance on a fixed corpus")
struct RelevanceTests {
    @Test("Typos, prefixes, diacritics, CJK, hashtags and mentions find what they should, and only that")
    func corpus() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann_muller")
            let bob = try await api.register("bob")
            let carl = try await api.register("carl")
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Ann Müller"), token: ann.accessToken)
            for text in ["Best restaurant in town #Foodie", "Un café crème à Paris", "東京タワーの夜景", "coffee time #coffee"] {
                _ = try await api.publish(text, token: ann.accessToken)
            }
            _ = try await api.publish("A restaurant review, with a note for @ann_muller", token: bob.accessToken)
            _ = try await api.publish("Waffles at the restaurants", token: carl.accessToken)
            try await app.runJobs()

            // One typo in a word of five letters or more; the right word is more used than the typo.
            #expect(try await api.postTexts("resturant ") == ["A restaurant review, with a note for @ann_muller", "Best restaurant in town #Foodie"])
            #expect(try await api.postTexts("restaurnat ").count == 2, "two letters swapped")
            #expect(try await api.postTexts("restaurant ").count == 2, "a correct word keeps to itself, not its plural")
            // The last word is a prefix while it is being typed.
            #expect(try await api.postTexts("restau").count == 3)
            #expect(try await api.postTexts("best resta") == ["Best restaurant in town #Foodie"])
            // Case and accents fold both ways.
            #expect(try await api.postTexts("CAFE ") == ["Un café crème à Paris"])
            #expect(try await api.postTexts("crème") == ["Un café crème à Paris"])
            // CJK: characters and pairs, no spaces needed.
            #expect(try await api.postTexts("東京") == ["東京タワーの夜景"])
            #expect(try await api.postTexts("タワー") == ["東京タワーの夜景"])
            #expect(try await api.postTexts("京都").isEmpty)
            // A hashtag finds only the tag; its bare word finds the tag too.
            #expect(try await api.postTexts("#coffee ") == ["coffee time #coffee"])
            #expect(try await api.postTexts("#foodie") == ["Best restaurant in town #Foodie"])
            #expect(try await api.postTexts("foodie ") == ["Best restaurant in town #Foodie"])
            #expect(try await api.postTexts("#time ").isEmpty)
            #expect(try await api.postTexts("@ann_muller ") == ["A restaurant review, with a note for @ann_muller"])
            // Query syntax typed by a user is text.
            #expect(try await api.postTexts("\"restaurant\" OR NEAR(*)").isEmpty)

            // Accounts: the username in full first, then by username prefix, then by name.
            #expect(try await api.usernames("muller") == ["ann_muller"])
            #expect(try await api.usernames("Müll") == ["ann_muller"])
            #expect(try await api.usernames("bob") == ["bob"])
            #expect(try await api.usernames("ann") == ["ann_muller"])
            #expect(try await api.usernames("@carl") == ["carl"])

            let tags = try await api.search("coff", type: "hashtags").hashtags?.items ?? []
            #expect(tags.map(\.name) == ["coffee"] && tags.first?.uses == 1)
            let everything = try await api.search("restaurant")
            #expect(everything.posts?.items.count == 3 && everything.accounts?.items.isEmpty == true && everything.takes?.items.isEmpty == true)
            #expect(everything.hashtags?.items.isEmpty == true)
        }
    }

    @Test("Edits and deletes reach the index; an account's new name is found and its old one is not")
    func changes() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let post = try await api.publish("morning espresso", token: ann.accessToken)
            try await app.runJobs()
            #expect(try await api.postTexts("espresso ") == ["morning espresso"])
            let metrics = try await api.get("/metrics").text
            #expect(metrics.contains("entativa_event_lag_seconds{consumer=\"search.post_published\"}"), "the index's lag is on /metrics")
            #expect(try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(text: "evening cappuccino"), token: ann.accessToken).status == 200)
            try await app.runJobs()
            #expect(try await api.postTexts("espresso ").isEmpty)
            #expect(try await api.postTexts("cappuccino ") == ["evening cappuccino"])
            #expect(try await api.delete("/api/v1/posts/\(post.id)", token: ann.accessToken).status == 204)
            try await app.runJobs()
            #expect(try await api.postTexts("cappuccino ").isEmpty)

            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Barista Queen"), token: ann.accessToken)
            try await app.runJobs()
            #expect(try await api.usernames("barista") == ["ann"])
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(displayName: "Tea Person"), token: ann.accessToken)
            try await app.runJobs()
            #expect(try await api.usernames("barista").isEmpty)
        }
    }
}
