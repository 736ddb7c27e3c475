import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes

/// Swift Testing has a `Comment` of its own.
typealias Comment = EntativaModels.Comment

struct PostTestFailure: Error, CustomStringConvertible {
    var description: String
}

extension TestAPI {
    /// Uploads a small PNG made by ffmpeg and processes it, answering the ready media's ID.
    func readyImage(_ app: TestApp, token: String) async throws -> MediaID {
        let data = try Data(contentsOf: try await Fixtures.png(width: 64, height: 48))
        let upload = try await uploadMedia(data, filename: "tiny.png", token: token)
        guard upload.status == 202 else { throw PostTestFailure(description: "upload: \(upload.status) \(upload.text)") }
        try await app.runJobs()
        return try upload.decode(MediaAttachment.self).id
    }

    /// `POST /api/v1/posts`, failing the test on anything but 201.
    func publish(_ form: CreatePostRequest, token: String) async throws -> Post {
        let response = try await post("/api/v1/posts", form, token: token)
        guard response.status == 201 else { throw PostTestFailure(description: "publish: \(response.status) \(response.text)") }
        return try response.decode(Post.self)
    }

    /// Makes two accounts friends (Entativa): each asks the other, and the second request accepts.
    func befriend(_ first: AuthTokens, _ second: AuthTokens) async throws {
        _ = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: second.account.id), token: first.accessToken)
        let answer = try await post("/api/v1/friend-requests", SendFriendRequest(accountId: first.account.id), token: second.accessToken)
        guard try answer.decode(Relationship.self).friends else { throw PostTestFailure(description: "befriend: \(answer.text)") }
    }

    /// Outbox events of one topic.
    static func eventCount(_ app: TestApp, topic: String) async throws -> Int {
        try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM outbox_events WHERE topic = \(bind: topic)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
