import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Media
import Testing

@Suite("Media: tus under concurrency")
struct TusConcurrencyTests {
    @Test("A HEAD while a PATCH is still sending neither truncates nor breaks the upload; DELETE waits its turn (409)")
    func headDuringPatch() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let user = try await api.register("uploader")
            let port = try #require(api.port)
            let file = try await Data(contentsOf: Fixtures.jpeg())
            var headers: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0", .authorization: "Bearer \(user.accessToken)"]
            headers[HTTPField.Name("Upload-Length")!] = String(file.count)
            let created = try await api.raw(.post, "/api/v1/uploads", headers: headers)
            let location = try #require(created.headers[.location])
            let path = try #require(URLComponents(string: location)?.path)

            let connection = try RawConnection(port: port)
            await connection.send("""
                PATCH \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer \(user.accessToken)\r\n\
                Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: \(file.count)\r\n\r\n
                """)
            let half = file.count / 2
            await connection.send(file.prefix(half))
            // Let the server write the first half before asking.
            try await Task.sleep(for: .milliseconds(300))
            var probe: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0", .authorization: "Bearer \(user.accessToken)"]
            let head = try await api.raw(.head, path, headers: probe)
            #expect(head.status == 200)
            probe[.contentType] = "application/offset+octet-stream"
            #expect(try await api.raw(.delete, path, headers: probe).status == 409, "no termination under a writer")

            await connection.send(file.dropFirst(half))
            let finished = await connection.readAnswer()
            #expect(finished.status == 204)
            #expect(finished.header("upload-offset") == String(file.count))
            #expect(finished.header("media-id") != nil)
            try await app.runJobs()
        }
    }
}
