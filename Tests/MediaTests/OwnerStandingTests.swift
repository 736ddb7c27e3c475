import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

/// Media follow their owner's account: private, suspended and back.
@Suite("Media follow their owner")
struct OwnerStandingTests {
    @Test("A private account's files go out only through signed paths; going public again reopens the public ones")
    func privateAccount() async throws {
        try await TestApp.run { app, api in
            let owner = try await api.register("owner")
            let other = try await api.register("other")
            let media = try await api.uploadAndProcess(app, try await Data(contentsOf: Fixtures.png(width: 64, height: 48)), token: owner.accessToken)
            let publicPath = try #require(media.variant("small")).path
            #expect(publicPath.hasPrefix("/media/p/"))
            let served = try await api.get(publicPath)
            #expect(served.status == 200)
            // A minute in any cache, then revalidated: never a year of `immutable`.
            #expect(served.headers[.cacheControl] == "public, max-age=60, must-revalidate")

            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: owner.accessToken).status == 200)
            #expect(try await api.get(publicPath).status == 404)
            #expect(try await api.raw(.get, publicPath, headers: [.ifNoneMatch: served.headers[.eTag] ?? ""]).status == 404)
            #expect(try await api.get("/api/v1/media/\(media.id)", token: other.accessToken).status == 404)
            #expect(try await api.get("/api/v1/media/\(media.id)").status == 404)
            let mine = try await api.get("/api/v1/media/\(media.id)", token: owner.accessToken).decode(MediaAttachment.self)
            #expect(mine.isPrivate)
            let signedPath = try #require(mine.variant("small")).path
            #expect(signedPath.hasPrefix("/media/s/\(media.id)/"))
            let signed = try await api.get(signedPath)
            #expect(signed.status == 200)
            #expect(signed.headers[.cacheControl] == "private, max-age=60, must-revalidate")

            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: false), token: owner.accessToken).status == 200)
            #expect(try await api.get(publicPath).status == 200)
            #expect(try await api.get("/api/v1/media/\(media.id)", token: other.accessToken).status == 200)
        }
    }

    @Test("A suspended account's files, public and signed, are 404 until it is unsuspended")
    func suspendedAccount() async throws {
        try await TestApp.run { app, api in
            let admin = try await app.signedInAdmin(api)
            let owner = try await api.register("owner")
            let image = try await Data(contentsOf: Fixtures.png(width: 64, height: 48))
            let open = try #require(try await api.uploadAndProcess(app, image, token: owner.accessToken).variant("small")).path
            let closed = try #require(
                try await api.uploadAndProcess(app, image, token: owner.accessToken, fields: ["private": "true"]).variant("small")).path
            #expect(try await api.get(open).status == 200)
            #expect(try await api.get(closed).status == 200)

            let account = "/api/v1/admin/accounts/\(owner.account.id)"
            #expect(try await api.post("\(account)/suspend", SuspendAccountRequest(reason: "spam"), token: admin.accessToken).status == 200)
            #expect(try await api.get(open).status == 404)
            #expect(try await api.get(closed).status == 404)
            #expect(try await api.raw(.head, open).status == 404)

            #expect(try await api.post("\(account)/unsuspend", token: admin.accessToken).status == 200)
            #expect(try await api.get(open).status == 200)
            #expect(try await api.get(closed).status == 200)
        }
    }

    @Test("A deleted account's files are 404 at once; the purge removes its media rows, files and tus uploads, and no one else's")
    func deletedAccount() async throws {
        try await TestApp.run { app, api in
            let owner = try await api.register("owner")
            let other = try await api.register("other")
            let image = try await Data(contentsOf: Fixtures.png(width: 64, height: 48))
            let mine = try await api.uploadAndProcess(app, image, token: owner.accessToken)
            let theirs = try await api.uploadAndProcess(app, image, token: other.accessToken)
            let tus: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0", .authorization: "Bearer \(owner.accessToken)"]
            var create = tus
            create[HTTPField.Name("Upload-Length")!] = "100"
            let location = try #require(try await api.raw(.post, "/api/v1/uploads", headers: create).headers[.location])
            var patch = tus
            patch[HTTPField.Name("Upload-Offset")!] = "0"
            patch[.contentType] = "application/offset+octet-stream"
            #expect(try await api.raw(.patch, URLComponents(string: location)!.path, headers: patch, body: Data(count: 40)).status == 204)
            let uploads = URL(fileURLWithPath: app.kernel.config.dataDirectory).appendingPathComponent("uploads")
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).count == 1)

            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: owner.accessToken).status == 202)
            #expect(try await api.get(try #require(mine.variant("small")).path).status == 404)
            try await app.runJobs()
            let db = app.kernel.database.sql
            for table in ["media", "uploads"] {
                let left = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE owner_id = \(bind: owner.account.id.rawValue)").first()
                #expect(try left?.decode(column: "n", as: Int.self) == 0, "\(table)")
            }
            #expect(app.storedFiles().allSatisfy { $0.hasPrefix("media/\(theirs.id)/") }, "\(app.storedFiles())")
            #expect(!app.storedFiles().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).isEmpty)
            #expect(try await api.get(try #require(theirs.variant("small")).path).status == 200)
        }
    }
}
