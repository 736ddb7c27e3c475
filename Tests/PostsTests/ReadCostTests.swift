import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

/// A page of posts costs a fixed number of statements, whatever its length: one range scan and
/// one batched look-up each for authors, connections, media, counts and the viewer's own state.
@Suite("Posts: read cost")
struct ReadCostTests {
    static func statements(_ app: TestApp, _ request: () async throws -> TestResponse) async throws -> (response: TestResponse, count: Int) {
        let before = app.kernel.database.statementsExecuted
        let response = try await request()
        return (response, app.kernel.database.statementsExecuted - before)
    }

    @Test("A 20-item page costs the same statements as a 2-item page, on a profile, a hashtag and mentions")
    func pageCostIsConstant() async throws {
        try await TestApp.run { app, api in
            let author = try await api.register("prolific")
            let reader = try await api.register("reader")
            #expect(try await api.post("/api/v1/accounts/\(author.account.id)/follow", token: reader.accessToken).status == 200)
            var posts: [Post] = []
            for index in 0..<24 {
                // A media item belongs to one post; a few posts with media are enough to load them.
                let media = index % 6 == 5 ? [try await api.readyImage(app, token: author.accessToken)] : []
                let form = CreatePostRequest(text: "post \(index) #costly hi @reader", mediaIds: media)
                posts.append(try await api.publish(form, token: author.accessToken))
            }
            // The viewer's own state differs from post to post: some reactions, some saves, a share.
            for post in posts.prefix(10) {
                _ = try await api.put("/api/v1/posts/\(post.id)/reaction", SetReactionRequest(kind: .like), token: reader.accessToken)
            }
            for post in posts.suffix(6) {
                _ = try await api.post("/api/v1/posts/\(post.id)/save", token: reader.accessToken)
            }

            for path in ["/api/v1/accounts/\(author.account.id)/posts", "/api/v1/hashtags/costly/posts", "/api/v1/mentions"] {
                let token = reader.accessToken
                // Both pages read the same 40-row scan; where the read caches are live (SQLite),
                // the first read fills them, so each page is measured warm.
                _ = try await api.get("\(path)?limit=2", token: token)
                _ = try await api.get("\(path)?limit=20", token: token)
                let small = try await Self.statements(app) { try await api.get("\(path)?limit=2", token: token) }
                let large = try await Self.statements(app) { try await api.get("\(path)?limit=20", token: token) }
                #expect(small.response.status == 200 && large.response.status == 200, "\(path)")
                #expect(try large.response.decode(Page<Post>.self).items.count == 20, "\(path)")
                #expect(small.count == large.count, "\(path): \(small.count) statements for 2 items, \(large.count) for 20")
                #expect(large.count <= 13, "\(path): \(large.count) statements")
            }
        }
    }
}
