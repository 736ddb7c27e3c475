import EntativaCore
import EntativaCrypto
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Media
import Testing

@Suite("Messaging: encrypted attachments through the server")
struct AttachmentTests {
    let secure = SecureMessagingTests()

    /// Every blob file on disk (none when the blobs live on S3).
    func storedBlobs(_ app: TestApp) -> [Data] {
        let root = URL(fileURLWithPath: app.kernel.config.dataDirectory).appendingPathComponent("blobs")
        let paths = FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []
        return paths.compactMap { try? Data(contentsOf: root.appendingPathComponent($0)) }
    }

    @Test("A photo goes as ciphertext with its key and digest inside the message; the server stores and serves only ciphertext")
    func attachment() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let (ada, adaID) = try await secure.client(port, "ada")
            let (bob, bobID) = try await secure.client(port, "bob")
            let adaPhone = try await SecureMessenger.register(client: ada, account: adaID, name: "phone", oneTimePreKeys: 10)
            let bobPhone = try await SecureMessenger.register(client: bob, account: bobID, name: "phone", oneTimePreKeys: 10)

            let marker = "attachment secret \(UUID().uuidString)"
            let photo = Array((String(repeating: marker, count: 500)).utf8)
            var pointer = try await adaPhone.uploadAttachment(photo, contentType: "image/jpeg")
            // The test server's public URL was fixed before its port was known.
            pointer.url = pointer.url.replacingOccurrences(of: "//127.0.0.1:0/", with: "//127.0.0.1:\(port)/")
            let text = String(decoding: try JSONEncoder().encode(pointer), as: UTF8.self)
            try await adaPhone.send(text, to: bobID)

            let received = try #require(try await bobPhone.receive().first)
            let got = try JSONDecoder().decode(AttachmentPointer.self, from: Data(received.text.utf8))
            #expect(try await bobPhone.downloadAttachment(got) == photo)

            // The server holds ciphertext only: not the marker, not the key.
            let ciphertext = try await bob.download(got.url)
            #expect(ciphertext.count >= photo.count && ciphertext.range(of: Data(marker.utf8)) == nil)
            for blob in storedBlobs(app) { #expect(blob.range(of: Data(marker.utf8)) == nil) }
            #expect(try await DataInvariants.textContaining(String(marker.suffix(36)), in: app.kernel.database) == [])
            #expect(try await DataInvariants.textContaining(pointer.key, in: app.kernel.database) == [])

            // A pointer whose digest is not the ciphertext's is refused, as is a forged URL.
            var wrongDigest = got
            wrongDigest.digest = Data(repeating: 7, count: 32).base64EncodedString()
            await #expect(throws: AttachmentCipher.Failure.digestMismatch) { try await bobPhone.downloadAttachment(wrongDigest) }
            var forged = got
            forged.url = got.url.replacingOccurrences(of: "/media/s/\(got.mediaId)/", with: "/media/s/\(got.mediaId)/1/")
            await #expect(throws: EntativaError.self) { try await bobPhone.downloadAttachment(forged) }

            // Only its owner sees the item in the API; it can never be shown in a post.
            await #expect(throws: EntativaError.self) { try await bob.media(got.mediaId) }
            #expect(try await ada.media(got.mediaId).kind == .encrypted)
            let post = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: "look", mediaIds: [got.mediaId]), token: try #require(await ada.tokens.current?.accessToken))
            #expect(post.status == 422 && post.text.contains("encrypted"))

            // After 30 days (when the envelopes are gone too), it is collected with its file.
            let collector = MediaCollector(env: app.runtime.media.env)
            app.clock.advance(by: .seconds(25 * 3600))
            #expect(try await collector.collect().media == 0)
            app.clock.advance(by: .seconds(30 * 24 * 3600))
            #expect(try await collector.collect().media == 1)
            await #expect(throws: EntativaError.self) { try await bob.download(got.url) }
        }
    }
}
