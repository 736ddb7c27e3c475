import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Search: places and distances")
struct PlaceTests {
    func post(_ api: TestAPI, _ text: String, at name: String, _ lat: Double, _ lon: Double, audience: PostAudience? = nil, token: String) async throws {
        let form = CreatePostRequest(text: text, location: PostLocation(name: name, latitude: lat, longitude: lon), audience: audience)
        let answer = try await api.post("/api/v1/posts", form, token: token)
        guard answer.status == 201 else { throw SearchTestFailure(description: "post: \(answer.text)") }
    }

    @Test("Places come from public posts only; by name most used first or nearest first; near me with hand-computed distances; posts within a radius")
    func places() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            try await post(api, "flat white", at: "Blue Bottle Coffee", 37.7765, -122.4172, token: ann.accessToken)
            try await post(api, "cortado", at: "blue bottle coffee", 37.7765, -122.4172, token: ann.accessToken)
            try await post(api, "steam", at: "Blue Lagoon", 63.8804, -22.4495, token: ann.accessToken)
            try await post(api, "hidden coffee", at: "Secret Garden", 37.78, -122.42, audience: .friends, token: ann.accessToken)
            try await post(api, "coffee at the equator", at: "Null Island Cafe", 0, 1, token: ann.accessToken)
            try await app.runJobs()

            let byUse = try #require(try await api.search("blue", type: "places").places?.items)
            #expect(byUse.map(\.name) == ["Blue Bottle Coffee", "Blue Lagoon"] && byUse.map(\.uses) == [2, 1] && byUse[0].distanceKm == nil)
            let fromIceland = try #require(try await api.search("blue", type: "places", extra: "&lat=64.1466&lon=-21.9426").places?.items)
            #expect(fromIceland.map(\.name) == ["Blue Lagoon", "Blue Bottle Coffee"])
            #expect(try await api.search("secret", type: "places").places?.items.isEmpty == true, "a friends-only post makes no place")

            // One degree of longitude on the equator: 6371.0088 km · π / 180 = 111.1951 km.
            let near = try await api.get("/api/v1/places/nearby?lat=0&lon=0&km=200").decode(Page<PlaceHit>.self).items
            #expect(near.map(\.name) == ["Null Island Cafe"])
            #expect(abs((near.first?.distanceKm ?? 0) - 6371.0088 * Double.pi / 180) < 1e-6)
            #expect(try await api.get("/api/v1/places/nearby?lat=0&lon=0&km=100").decode(Page<PlaceHit>.self).items.isEmpty)
            let city = try await api.get("/api/v1/places/nearby?lat=37.7749&lon=-122.4194&km=5").decode(Page<PlaceHit>.self).items
            #expect(city.map(\.name) == ["Blue Bottle Coffee"] && (city.first?.distanceKm ?? 9) < 0.5)

            // Posts within a radius: the equator's coffee is 111 km from (0, 0).
            #expect(try await api.postTexts("coffee", extra: "&lat=0&lon=0&km=120", token: ann.accessToken) == ["coffee at the equator"])
            #expect(try await api.postTexts("coffee", extra: "&lat=0&lon=0&km=100", token: ann.accessToken).isEmpty)
            #expect(try await api.postTexts("coffee", extra: "&lat=37.7749&lon=-122.4194&km=2", token: ann.accessToken) == ["hidden coffee"])

            let suggested = try await api.get("/api/v1/search/autocomplete?q=lag").decode(AutocompleteResults.self)
            #expect(suggested.places.map(\.name) == ["Blue Lagoon"])

            for (query, field) in [("q=a&lat=1", "lon"), ("q=a&km=3", "km"), ("q=a&lat=91&lon=0", "lat"), ("q=a&lat=0&lon=nan", "lon")] {
                let answer = try await api.get("/api/v1/search?\(query)")
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(query): \(answer.text)")
            }
            #expect(try await api.get("/api/v1/places/nearby?lat=0").status == 422)
        }
    }
}
