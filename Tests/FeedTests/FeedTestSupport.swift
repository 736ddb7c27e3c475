import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit

struct FeedTestFailure: Error, CustomStringConvertible {
    var description: String
}

extension TestAPI {
    func publish(_ text: String, audience: PostAudience? = nil, token: String) async throws -> Post {
        let response = try await post("/api/v1/posts", CreatePostRequest(text: text, audience: audience), token: token)
        guard response.status == 201 else { throw FeedTestFailure(description: "publish: \(response.status) \(response.text)") }
        return try response.decode(Post.self)
    }

    func follow(_ account: AccountID, token: String) async throws {
        let response = try await post("/api/v1/accounts/\(account)/follow", token: token)
        guard response.status == 200 else { throw FeedTestFailure(description: "follow: \(response.status) \(response.text)") }
    }

    func befriend(_ first: AuthTokens, _ second: AuthTokens) async throws {
        _ = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: second.account.id), token: first.accessToken)
        let answer = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: first.account.id), token: second.accessToken)
        guard try answer.decode(Relationship.self).friends else { throw FeedTestFailure(description: "befriend: \(answer.text)") }
    }

    /// Uploads a small PNG made by ffmpeg and processes it, answering the ready media's ID.
    func readyImage(_ app: TestApp, token: String) async throws -> MediaID {
        let data = try Data(contentsOf: try await Fixtures.png(width: 64, height: 48))
        let upload = try await uploadMedia(data, filename: "tiny.png", token: token)
        guard upload.status == 202 else { throw FeedTestFailure(description: "upload: \(upload.status) \(upload.text)") }
        try await app.runJobs()
        return try upload.decode(MediaAttachment.self).id
    }

    /// A public post with one processed image: what a Vignette post needs.
    func publishPhoto(_ text: String, app: TestApp, token: String) async throws -> Post {
        let media = try await readyImage(app, token: token)
        let response = try await post("/api/v1/posts", CreatePostRequest(text: text, mediaIds: [media]), token: token)
        guard response.status == 201 else { throw FeedTestFailure(description: "publish: \(response.status) \(response.text)") }
        return try response.decode(Post.self)
    }

    /// A fresh access token, for tests that move the clock past the last one's lifetime.
    func freshToken(_ username: String) async throws -> String {
        let response = try await post("/api/v1/auth/login", LoginRequest(login: username, password: TestAPI.defaultPassword))
        guard response.status == 200 else { throw FeedTestFailure(description: "login: \(response.status) \(response.text)") }
        return try response.decode(AuthTokens.self).accessToken
    }

    /// One page of the home timeline; fails the test on anything but 200.
    func home(token: String, limit: Int = 20, cursor: String? = nil) async throws -> Page<Post> {
        var path = "/api/v1/timelines/home?limit=\(limit)"
        if let cursor { path += "&cursor=\(cursor)" }
        let response = try await get(path, token: token)
        guard response.status == 200 else { throw FeedTestFailure(description: "home: \(response.status) \(response.text)") }
        return try response.decode(Page<Post>.self)
    }

    /// Every page of the home timeline, `limit` at a time.
    func wholeHome(token: String, limit: Int = 20) async throws -> [Post] {
        var posts: [Post] = []
        var cursor: String?
        repeat {
            let page = try await home(token: token, limit: limit, cursor: cursor)
            posts += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return posts
    }

    func homeTexts(token: String, limit: Int = 20) async throws -> [String] {
        try await wholeHome(token: token, limit: limit).map(\.text)
    }
}

extension TestApp {
    /// How many home entries `account` has: what fan-out pushed, as opposed to what is pulled.
    func homeEntries(of account: AccountID) async throws -> Int {
        try await kernel.database.sql.raw("SELECT COUNT(*) AS n FROM home_entries WHERE account_id = \(bind: account.rawValue)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
