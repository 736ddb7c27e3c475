import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Media
import Testing

@Suite("Media: tus resumable uploads")
struct TusTests {
    static let tus: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0"]

    func headers(_ token: String, _ extra: [String: String] = [:]) -> HTTPFields {
        var fields = Self.tus
        fields[.authorization] = "Bearer \(token)"
        for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
        return fields
    }

    func create(_ api: TestAPI, token: String, length: Int, metadata: String? = nil) async throws -> String {
        var extra = ["Upload-Length": String(length)]
        if let metadata { extra["Upload-Metadata"] = metadata }
        let response = try await api.raw(.post, "/api/v1/uploads", headers: headers(token, extra))
        guard response.status == 201, let location = response.headers[.location] else {
            throw TestFailure("create: \(response.status) \(response.text)")
        }
        #expect(response.headers[HTTPField.Name("Upload-Expires")!]?.hasSuffix("GMT") == true)
        return URLComponents(string: location)!.path
    }

    func patch(_ api: TestAPI, _ path: String, token: String, offset: Int, _ bytes: Data) async throws -> TestResponse {
        try await api.raw(
            .patch, path, headers: headers(token, ["Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream"]), body: bytes)
    }

    @Test("An upload in three pieces, with a wrong offset refused in between, becomes byte-identical media")
    func resumable() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("uploader")
            let file = try await Data(contentsOf: Fixtures.video(seconds: 3, width: 640, height: 360))
            let path = try await create(api, token: user.accessToken, length: file.count, metadata: "filename \(Data("clip.mp4".utf8).base64EncodedString())")

            let options = try await api.raw(.options, "/api/v1/uploads")
            #expect(options.headers[HTTPField.Name("Tus-Extension")!]?.contains("termination") == true)

            let third = file.count / 3
            #expect(try await patch(api, path, token: user.accessToken, offset: 0, file.prefix(third)).status == 204)
            let head = try await api.raw(.head, path, headers: headers(user.accessToken))
            #expect(head.headers[HTTPField.Name("Upload-Offset")!] == String(third))
            #expect(head.headers[HTTPField.Name("Upload-Length")!] == String(file.count))
            #expect(head.headers[.cacheControl] == "no-store")

            let wrong = try await patch(api, path, token: user.accessToken, offset: 0, file.prefix(10))
            #expect(wrong.status == 409)
            #expect(try await patch(api, path, token: user.accessToken, offset: third, file[third..<(2 * third)]).status == 204)
            let last = try await patch(api, path, token: user.accessToken, offset: 2 * third, file[(2 * third)...])
            #expect(last.status == 204)
            let mediaID = try #require(last.headers[HTTPField.Name("Media-Id")!])

            let stored = try Data(contentsOf: URL(fileURLWithPath: app.blobPath(MediaID(mediaID)!, "source")))
            #expect(stored == file)
            try await app.runJobs()
            let media = try await api.get("/api/v1/media/\(mediaID)", token: user.accessToken).decode(MediaAttachment.self)
            #expect(media.state == .ready && media.kind == .video)
        }
    }

    @Test("The offset survives a restart of the server")
    func survivesRestart() async throws {
        let directory = NSTemporaryDirectory() + "entativa-tus-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await TestDatabase.shared(directory: directory)
        let file = try await Data(contentsOf: Fixtures.png())
        let first = try await TestApp.open(directory: directory, databaseURL: database.url)
        let (token, path) = try await first.runtime.application.test(.router) { client in
            let api = TestAPI.wrapping(client)
            let user = try await api.register("restarter")
            let path = try await create(api, token: user.accessToken, length: file.count)
            #expect(try await patch(api, path, token: user.accessToken, offset: 0, file.prefix(1000)).status == 204)
            return (user.accessToken, path)
        }
        let second = try await TestApp.open(directory: directory, databaseURL: database.url)
        try await second.runtime.application.test(.router) { client in
            let api = TestAPI.wrapping(client)
            let head = try await api.raw(.head, path, headers: headers(token))
            #expect(head.headers[HTTPField.Name("Upload-Offset")!] == "1000")
            let done = try await patch(api, path, token: token, offset: 1000, file.dropFirst(1000))
            #expect(done.status == 204)
            #expect(done.headers[HTTPField.Name("Media-Id")!] != nil)
        }
        await database.drop()
    }

    @Test("Denials: no tus version 412, another account 404, no token 401, too large 413, past the end 413, not media 422")
    func denials() async throws {
        try await TestApp.run { app, api in
            let owner = try await api.register("tus_owner")
            let other = try await api.register("tus_other")
            let path = try await create(api, token: owner.accessToken, length: 100)
            var noVersion = headers(owner.accessToken)
            noVersion[HTTPField.Name("Tus-Resumable")!] = nil
            #expect(try await api.raw(.head, path, headers: noVersion).status == 412)
            #expect(try await api.raw(.head, path, headers: headers(other.accessToken)).status == 404)
            #expect(try await api.raw(.head, path, headers: Self.tus).status == 401)
            #expect(try await patch(api, path, token: other.accessToken, offset: 0, Data(count: 10)).status == 404)
            let huge = try await api.raw(.post, "/api/v1/uploads", headers: headers(owner.accessToken, ["Upload-Length": String(Int64(3) << 30)]))
            #expect(huge.status == 413)
            let noLength = try await api.raw(.post, "/api/v1/uploads", headers: headers(owner.accessToken))
            #expect(noLength.status == 422)
            let badType = try await api.raw(
                .patch, path, headers: headers(owner.accessToken, ["Upload-Offset": "0", "Content-Type": "application/json"]), body: Data(count: 10))
            #expect(badType.status == 415)
            #expect(try await patch(api, path, token: owner.accessToken, offset: 0, Data(count: 101)).status == 413)
            let notMedia = try await patch(api, path, token: owner.accessToken, offset: 0, Data(repeating: 0x20, count: 100))
            #expect(notMedia.status == 422)
            #expect(try await api.raw(.head, path, headers: headers(owner.accessToken)).status == 404)
            #expect(app.storedFiles().isEmpty)
        }
    }

    @Test("Terminated and expired uploads are gone with their bytes")
    func terminationAndExpiry() async throws {
        try await TestApp.run { app, api in
            let user = try await api.register("abandoner")
            let terminated = try await create(api, token: user.accessToken, length: 100)
            _ = try await patch(api, terminated, token: user.accessToken, offset: 0, Data(count: 50))
            #expect(try await api.raw(.delete, terminated, headers: headers(user.accessToken)).status == 204)
            #expect(try await api.raw(.head, terminated, headers: headers(user.accessToken)).status == 404)

            let abandoned = try await create(api, token: user.accessToken, length: 100)
            _ = try await patch(api, abandoned, token: user.accessToken, offset: 0, Data(count: 50))
            let uploads = URL(fileURLWithPath: app.kernel.config.dataDirectory).appendingPathComponent("uploads")
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).count == 1)
            app.clock.advance(by: .seconds(25 * 3600))
            let fresh = try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: user.refreshToken)).decode(AuthTokens.self)
            #expect(try await api.raw(.head, abandoned, headers: headers(fresh.accessToken)).status == 404)
            #expect(try await MediaCollector(env: app.runtime.media.env).collect().uploads == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).isEmpty)
        }
    }
}
