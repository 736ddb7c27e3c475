import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("EntativaKit: search")
struct KitSearchTests {
    @Test("The search routes through their SDK methods: sections, filters, a cursor, autocomplete, trends, related hashtags, places, history")
    func search() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let ada = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let adaID = try await ada.register(RegisterRequest(username: "kit_ada", email: "ada@example.com", password: TestAPI.defaultPassword)).account.id
            for index in 0..<3 { _ = try await ada.publish(CreatePostRequest(text: "kit walrus \(index) #walrus")) }
            try await app.runJobs()

            let all = try await ada.search("walrus")
            #expect(all.posts?.items.count == 3 && all.hashtags?.items.map(\.name) == ["walrus"] && all.accounts?.items.isEmpty == true)
            let first = try await ada.search("walrus", sections: [.posts], filters: SearchFilters(author: adaID, since: Date(timeIntervalSinceNow: -3600)), limit: 2)
            #expect(first.posts?.items.map(\.text) == ["kit walrus 2 #walrus", "kit walrus 1 #walrus"] && first.accounts == nil)
            let next = try await ada.search("walrus", sections: [.posts], cursor: try #require(first.posts?.nextCursor), limit: 2)
            #expect(next.posts?.items.map(\.text) == ["kit walrus 0 #walrus"] && next.posts?.nextCursor == nil)
            #expect(try await ada.search("kit_ada", sections: [.accounts]).accounts?.items.map(\.id) == [adaID])
            let suggested = try await ada.autocomplete("walr")
            #expect(suggested.hashtags.map(\.name) == ["walrus"] && suggested.accounts.isEmpty)
            #expect(try await ada.autocomplete("@kit", limit: 1).accounts.map(\.id) == [adaID])
            #expect(try await ada.trendingHashtags(limit: 5).items.isEmpty, "the trends job has not run")
            #expect(try await ada.relatedHashtags("walrus").items.isEmpty)
            #expect(try await ada.nearbyPlaces(latitude: 0, longitude: 0, km: 5).items.isEmpty)
            #expect(try await ada.search("walrus", sections: [.posts], filters: SearchFilters(near: (0, 0), radiusKm: 5)).posts?.items.isEmpty == true)
            let remembered = try await ada.searchHistory()
            #expect(remembered.items.first?.query == "walrus")
            try await ada.deleteSearchHistoryEntry(try #require(remembered.items.first).id)
            try await ada.clearSearchHistory()
            #expect(try await ada.searchHistory().items.isEmpty)
            #expect(try await ada.updateSearchHistorySettings(SearchHistorySettings(enabled: false)).enabled == false)
            #expect(try await ada.searchHistorySettings().enabled == false)
            await #expect(throws: EntativaError.self) { try await ada.searchQueries() }
            await #expect(throws: EntativaError.self) { try await ada.relatedHashtags("nothing_uses_this") }
            await #expect(throws: EntativaError.self) { try await ada.search("walrus", filters: SearchFilters(minEngagement: -1)) }
        }
    }
}
