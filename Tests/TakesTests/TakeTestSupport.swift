import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation

struct TakeTestFailure: Error, CustomStringConvertible {
    var description: String
}

extension TestAPI {
    /// Uploads a file and processes it, answering the ready media's ID.
    func readyMedia(_ app: TestApp, _ file: URL, token: String) async throws -> MediaID {
        let upload = try await uploadMedia(try Data(contentsOf: file), filename: file.lastPathComponent, token: token)
        guard upload.status == 202 else { throw TakeTestFailure(description: "upload: \(upload.status) \(upload.text)") }
        try await app.runJobs()
        return try upload.decode(MediaAttachment.self).id
    }

    /// A ready portrait video of `seconds`, small and at 5 frames a second so processing stays
    /// quick: these tests need its length, not its motion.
    func readyVideo(_ app: TestApp, seconds: Int = 15, width: Int = 72, height: Int = 128, token: String) async throws -> MediaID {
        try await readyMedia(app, try await Fixtures.video(seconds: seconds, width: width, height: height, rate: 5), token: token)
    }

    /// `POST /api/v1/takes`, failing the test on anything but 201.
    func postTake(_ form: CreateTakeRequest, token: String) async throws -> Take {
        let response = try await post("/api/v1/takes", form, token: token)
        guard response.status == 201 else { throw TakeTestFailure(description: "post take: \(response.status) \(response.text)") }
        return try response.decode(Take.self)
    }

    /// A 15-second Take with a fresh video.
    func postTake(_ app: TestApp, caption: String = "", audience: PostAudience? = nil, music: TakeMusicInput? = nil, templateId: TemplateID? = nil, token: String) async throws -> Take {
        let video = try await readyVideo(app, token: token)
        return try await postTake(CreateTakeRequest(mediaId: video, caption: caption, audience: audience, music: music, templateId: templateId), token: token)
    }

    func take(_ id: PostID, token: String? = nil) async throws -> Take {
        let response = try await get("/api/v1/takes/\(id)", token: token)
        guard response.status == 200 else { throw TakeTestFailure(description: "get take: \(response.status) \(response.text)") }
        return try response.decode(Take.self)
    }

    func takesFeed(token: String, query: String = "") async throws -> Page<TakeFeedItem> {
        let response = try await get("/api/v1/takes/feed\(query)", token: token)
        guard response.status == 200 else { throw TakeTestFailure(description: "feed: \(response.status) \(response.text)") }
        return try response.decode(Page<TakeFeedItem>.self)
    }

    func reportViews(_ views: [TakeViewReport], token: String) async throws -> TakeViewsResult {
        let response = try await post("/api/v1/takes/views", TakeViewsRequest(views: views), token: token)
        guard response.status == 200 else { throw TakeTestFailure(description: "views: \(response.status) \(response.text)") }
        return try response.decode(TakeViewsResult.self)
    }

    func follow(_ follower: AuthTokens, _ followed: AuthTokens) async throws {
        let answer = try await post("/api/v1/accounts/\(followed.account.id)/follow", token: follower.accessToken)
        guard answer.status == 200 else { throw TakeTestFailure(description: "follow: \(answer.status) \(answer.text)") }
    }
}
