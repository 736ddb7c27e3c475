import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Search: filters, pages and bad input")
struct FilterTests {
    @Test("Author, dates, media and engagement narrow posts; pages neither repeat nor skip, even past hidden hits")
    func filtersAndPages() async throws {
        try await TestApp.run { app, api in
            let ann = try await api.register("ann")
            let bob = try await api.register("bob")
            var texts: [String] = []
            for index in 0..<25 {
                // Every third is for ann alone: a page must look past them.
                let text = "otter number \(index)"
                _ = try await api.publish(text, audience: index % 3 == 0 ? .onlyMe : nil, token: ann.accessToken)
                if index % 3 != 0 { texts.append(text) }
                app.clock.advance(by: .seconds(10))
            }
            let media = try await api.readyImage(app, token: bob.accessToken)
            let photo = try await api.publish("otter photo", mediaIds: [media], token: bob.accessToken)
            #expect(try await api.put("/api/v1/posts/\(photo.id)/reaction", SetReactionRequest(kind: .like), token: ann.accessToken).status == 200)
            try await app.runJobs()

            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.search("otter", type: "posts", extra: "&limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""), token: bob.accessToken)
                let posts = try #require(page.posts)
                #expect(posts.items.count <= 7)
                seen += posts.items.map(\.text)
                cursor = posts.nextCursor
            } while cursor != nil
            #expect(seen == ["otter photo"] + texts.reversed())

            #expect(try await api.postTexts("otter", extra: "&author=\(bob.account.id)", token: bob.accessToken) == ["otter photo"])
            #expect(try await api.postTexts("otter", extra: "&has_media=true", token: bob.accessToken) == ["otter photo"])
            #expect(try await api.postTexts("otter", extra: "&has_media=false&limit=100", token: bob.accessToken).count == texts.count)
            #expect(try await api.postTexts("otter", extra: "&min_engagement=1", token: bob.accessToken) == ["otter photo"])
            let start = Date(timeIntervalSince1970: Double(photo.createdAt.timeIntervalSince1970) - 25)
            let since = ISO8601DateFormatter().string(from: start)
            let recent = try await api.postTexts("otter", extra: "&since=\(TestAPI.escape(since))", token: bob.accessToken)
            #expect(recent == ["otter photo", "otter number 23"])
            let older = try await api.postTexts("otter", extra: "&until=\(TestAPI.escape(since))&limit=100", token: bob.accessToken)
            #expect(older.count == texts.count - 1 && !older.contains("otter number 23"))
        }
    }

    @Test("Bad input is a 422 naming the field")
    func badInput() async throws {
        try await TestApp.run { _, api in
            let cases: [(String, String)] = [
                ("", "q"), ("q=%3F%21", "q"), ("q=" + String(repeating: "a", count: 201), "q"), ("q=a&type=people", "type"),
                ("q=a&cursor=5", "cursor"), ("q=a&type=posts&cursor=abc", "cursor"), ("q=a&type=accounts&cursor=0", "cursor"),
                ("q=a&type=accounts&cursor=100000", "cursor"), ("q=a&author=x", "author"), ("q=a&since=yesterday", "since"),
                ("q=a&since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until"), ("q=a&has_media=yes", "has_media"),
                ("q=a&min_engagement=-1", "min_engagement"), ("q=a&min_engagement=99999999999999999999", "min_engagement"),
                ("q=a&limit=0", "limit"),
            ]
            for (query, field) in cases {
                let answer = try await api.get("/api/v1/search?\(query)")
                #expect(answer.status == 422 && answer.fieldErrors == [field], "\(query): \(answer.status) \(answer.text)")
            }
        }
    }
}
