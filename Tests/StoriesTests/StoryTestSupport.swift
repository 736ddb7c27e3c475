import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation

struct StoryTestFailure: Error, CustomStringConvertible {
    var description: String
}

extension TestAPI {
    /// Uploads a file and processes it, answering the ready media's ID.
    func readyMedia(_ app: TestApp, _ file: URL, token: String) async throws -> MediaID {
        let upload = try await uploadMedia(try Data(contentsOf: file), filename: file.lastPathComponent, token: token)
        guard upload.status == 202 else { throw StoryTestFailure(description: "upload: \(upload.status) \(upload.text)") }
        try await app.runJobs()
        return try upload.decode(MediaAttachment.self).id
    }

    func readyImage(_ app: TestApp, token: String) async throws -> MediaID {
        try await readyMedia(app, try await Fixtures.png(width: 64, height: 48), token: token)
    }

    /// `POST /api/v1/stories` with a fresh image, failing the test on anything but 201.
    func postStory(
        _ app: TestApp, token: String, caption: String = "", audience: StoryAudience? = nil, hideFrom: [AccountID]? = nil
    ) async throws -> Story {
        let media = try await readyImage(app, token: token)
        let response = try await post(
            "/api/v1/stories", CreateStoryRequest(mediaId: media, caption: caption, audience: audience, hideFrom: hideFrom), token: token)
        guard response.status == 201 else { throw StoryTestFailure(description: "post story: \(response.status) \(response.text)") }
        return try response.decode(Story.self)
    }

    func tray(token: String, query: String = "") async throws -> Page<StoryTrayItem> {
        try await get("/api/v1/stories/tray\(query)", token: token).decode(Page<StoryTrayItem>.self)
    }

    /// Makes two accounts friends (Entativa): each asks the other, and the second request accepts.
    func befriend(_ first: AuthTokens, _ second: AuthTokens) async throws {
        _ = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: second.account.id), token: first.accessToken)
        let answer = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: first.account.id), token: second.accessToken)
        guard try answer.decode(Relationship.self).friends else { throw StoryTestFailure(description: "befriend: \(answer.text)") }
    }

    func follow(_ follower: AuthTokens, _ followed: AuthTokens) async throws {
        let answer = try await post("/api/v1/accounts/\(followed.account.id)/follow", token: follower.accessToken)
        guard answer.status == 200 else { throw StoryTestFailure(description: "follow: \(answer.status) \(answer.text)") }
    }
}
