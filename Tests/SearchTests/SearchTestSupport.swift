import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation

struct SearchTestFailure: Error, CustomStringConvertible {
    var description: String
}

extension TestAPI {
    func publish(_ text: String, audience: PostAudience? = nil, mediaIds: [MediaID]? = nil, token: String) async throws -> Post {
        let response = try await post("/api/v1/posts", CreatePostRequest(text: text, mediaIds: mediaIds, audience: audience), token: token)
        guard response.status == 201 else { throw SearchTestFailure(description: "publish: \(response.status) \(response.text)") }
        return try response.decode(Post.self)
    }

    func follow(_ follower: AuthTokens, _ followed: AuthTokens) async throws {
        let answer = try await post("/api/v1/accounts/\(followed.account.id)/follow", token: follower.accessToken)
        guard answer.status == 200 else { throw SearchTestFailure(description: "follow: \(answer.status) \(answer.text)") }
    }

    func befriend(_ first: AuthTokens, _ second: AuthTokens) async throws {
        _ = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: second.account.id), token: first.accessToken)
        let answer = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: first.account.id), token: second.accessToken)
        guard try answer.decode(Relationship.self).friends else { throw SearchTestFailure(description: "befriend: \(answer.text)") }
    }

    /// Uploads a small PNG made by ffmpeg and processes it, answering the ready media's ID.
    func readyImage(_ app: TestApp, token: String) async throws -> MediaID {
        let upload = try await uploadMedia(try Data(contentsOf: try await Fixtures.png(width: 64, height: 48)), filename: "tiny.png", token: token)
        guard upload.status == 202 else { throw SearchTestFailure(description: "upload: \(upload.status) \(upload.text)") }
        try await app.runJobs()
        return try upload.decode(MediaAttachment.self).id
    }

    /// `GET /api/v1/search`, failing the test on anything but 200.
    func search(_ query: String, type: String? = nil, extra: String = "", token: String? = nil) async throws -> SearchResults {
        var path = "/api/v1/search?q=\(Self.escape(query))"
        if let type { path += "&type=\(type)" }
        let response = try await get(path + extra, token: token)
        guard response.status == 200 else { throw SearchTestFailure(description: "search \(query): \(response.status) \(response.text)") }
        return try response.decode(SearchResults.self)
    }

    /// The texts of the posts a search finds, newest first.
    func postTexts(_ query: String, extra: String = "", token: String? = nil) async throws -> [String] {
        try await search(query, type: "posts", extra: extra, token: token).posts?.items.map(\.text) ?? []
    }

    func usernames(_ query: String, token: String? = nil) async throws -> [String] {
        try await search(query, type: "accounts", token: token).accounts?.items.map(\.username) ?? []
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
