import Foundation
import Media
import NIOCore
import Testing

/// Which store a contract test runs against. S3 joins only when `TEST_S3_ENDPOINT` names a
/// server (the test script starts moto there), so a plain `swift test` needs nothing running.
enum StoreKind: Sendable, CustomTestStringConvertible {
    case local
    case s3(URL)

    static var all: [StoreKind] {
        guard let value = ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"], !value.isEmpty,
            let url = URL(string: value)
        else { return [.local] }
        return [.local, .s3(url)]
    }

    var testDescription: String {
        switch self {
        case .local: "local disk"
        case .s3(let url): "S3 at \(url.absoluteString)"
        }
    }

    /// A fresh, empty store for one test: a temporary directory, or a bucket of its own.
    func withStore(_ body: (any BlobStore) async throws -> Void) async throws {
        switch self {
        case .local:
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            try await body(try LocalBlobStore(root: root))
        case .s3(let endpoint):
            let bucket = "entativa-test-\(UUID().uuidString.lowercased().prefix(18))"
            // moto takes any credentials; a store that checks them gets real ones from these.
            let env = ProcessInfo.processInfo.environment
            var store = S3BlobStore(
                configuration: S3Configuration(
                    endpoint: endpoint, bucket: bucket, region: "us-east-1", accessKeyID: env["TEST_S3_ACCESS_KEY_ID"] ?? "test",
                    secretAccessKey: env["TEST_S3_SECRET_ACCESS_KEY"] ?? "test", forcePathStyle: true))
            // Tiny pages, so that deleteAll has to follow continuation tokens.
            store.listPageSize = 2
            try await store.createBucketIfNeeded()
            try await store.createBucketIfNeeded()
            try await body(store)
        }
    }
}

@Suite("Blob store contract")
struct BlobStoreContractTests {
    func bytes(of read: BlobRead) async throws -> [UInt8] {
        var collected: [UInt8] = []
        for try await buffer in read.body { collected += buffer.readableBytesView }
        return collected
    }

    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("blob-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    @Test("A stored blob reports its size, content type and a stable ETag that follows the bytes", arguments: StoreKind.all)
    func putAndInfo(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Given a blob stored from memory
            try await store.put("media/1/note.txt", data: Data("hello, world".utf8), contentType: "text/plain")

            // When its metadata is read twice
            let first = try #require(try await store.info("media/1/note.txt"))
            let second = try #require(try await store.info("media/1/note.txt"))

            // Then it describes the blob and the ETag does not drift
            #expect(first.size == 12)
            #expect(first.contentType == "text/plain")
            #expect(!first.etag.isEmpty)
            #expect(second == first)

            // When the bytes change but not the length, the ETag changes with them
            try await store.put("media/1/note.txt", data: Data("HELLO, WORLD".utf8), contentType: "text/markdown")
            let replaced = try #require(try await store.info("media/1/note.txt"))
            #expect(replaced.size == 12)
            #expect(replaced.contentType == "text/markdown")
            #expect(replaced.etag != first.etag)
        }
    }

    @Test("A blob stored from a file reads back whole, with the same metadata as info", arguments: StoreKind.all)
    func putFileAndRead(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Given a blob uploaded from a file
            let content = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let file = try temporaryFile(content)
            defer { try? FileManager.default.removeItem(at: file) }
            try await store.put("media/2/original.bin", file: file, contentType: "application/octet-stream")

            // When it is read without a range
            let read = try #require(try await store.read("media/2/original.bin", range: nil))

            // Then every byte comes back and the metadata matches info
            #expect(read.range == nil)
            #expect(try await bytes(of: read) == content)
            #expect(read.info == (try await store.info("media/2/original.bin")))
            #expect(read.info.size == 5000)
        }
    }

    @Test("Ranges read the first, middle and last bytes and are clamped to the blob", arguments: StoreKind.all)
    func ranges(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Given a 100-byte blob whose byte i is i
            let content = (0..<100).map { UInt8($0) }
            try await store.put("media/3/clip.ts", data: Data(content), contentType: "video/mp2t")

            // When ranges are read, then each answers exactly the bytes asked for
            let cases: [(asked: ClosedRange<Int64>, served: ClosedRange<Int64>)] = [
                (0...9, 0...9), (40...59, 40...59), (90...99, 90...99), (0...99, 0...99),
                (90...500, 90...99), (150...200, 99...99),
            ]
            for (asked, served) in cases {
                let read = try #require(try await store.read("media/3/clip.ts", range: asked))
                #expect(read.range == served, "range \(asked)")
                #expect(read.info.size == 100, "range \(asked)")
                #expect(read.info.contentType == "video/mp2t", "range \(asked)")
                #expect(try await bytes(of: read) == Array(content[Int(served.lowerBound)...Int(served.upperBound)]), "range \(asked)")
            }
        }
    }

    @Test("A missing blob is nil to info and read, and deleting is idempotent", arguments: StoreKind.all)
    func missing(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Given a store holding one blob
            try await store.put("media/4/a.jpg", data: Data([1, 2, 3]), contentType: "image/jpeg")

            // Then a key never written is absent
            #expect(try await store.info("media/4/never.jpg") == nil)
            #expect(try await store.read("media/4/never.jpg", range: nil) == nil)
            #expect(try await store.read("media/4/never.jpg", range: 0...10) == nil)
            await #expect(throws: BlobStoreError.notFound("media/4/never.jpg")) {
                try await store.download("media/4/never.jpg", to: FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString))
            }

            // When the blob is deleted twice, and a missing one once
            try await store.delete("media/4/a.jpg")
            try await store.delete("media/4/a.jpg")
            try await store.delete("media/4/never.jpg")

            // Then it is gone and nothing threw
            #expect(try await store.info("media/4/a.jpg") == nil)
            #expect(try await store.read("media/4/a.jpg", range: 0...1) == nil)
        }
    }

    @Test("deleteAll removes one folder and never a sibling that shares its spelling", arguments: StoreKind.all)
    func deleteAllPrefix(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Given blobs under media/1/, media/10/ and media/2/ (more than one listing page on S3)
            let doomed = ["media/1/a.jpg", "media/1/b.jpg", "media/1/hls/720p/seg_001.ts", "media/1/hls/720p/seg_002.ts", "media/1/z.jpg"]
            let kept = ["media/10/a.jpg", "media/2/a.jpg", "media/1.jpg"]
            for key in doomed + kept {
                try await store.put(key, data: Data(key.utf8), contentType: "application/octet-stream")
            }

            // When the media/1/ folder is deleted
            try await store.deleteAll(prefix: "media/1/")

            // Then everything under it is gone and the neighbours remain
            for key in doomed { #expect(try await store.info(key) == nil, "\(key) should be gone") }
            for key in kept { #expect(try await store.info(key) != nil, "\(key) should remain") }

            // When a folder is named without its trailing slash, it still means that folder only
            try await store.deleteAll(prefix: "media/10")
            #expect(try await store.info("media/10/a.jpg") == nil)
            #expect(try await store.info("media/2/a.jpg") != nil)
            #expect(try await store.info("media/1.jpg") != nil)

            // And deleting an empty folder is not an error
            try await store.deleteAll(prefix: "media/99/")
        }
    }

    @Test("A 3 MB blob downloads byte for byte, replacing whatever was at the target", arguments: StoreKind.all)
    func download(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Given a 3 MB random file stored as a blob
            var generator = SystemRandomNumberGenerator()
            let content = (0..<(3 * 1024 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let source = try temporaryFile(content)
            let target = try temporaryFile(Array("stale".utf8))
            defer {
                try? FileManager.default.removeItem(at: source)
                try? FileManager.default.removeItem(at: target)
            }
            try await store.put("media/5/video.mp4", file: source, contentType: "video/mp4")

            // When it is downloaded over an existing file
            try await store.download("media/5/video.mp4", to: target)

            // Then the copy is identical, and so is a streamed read
            #expect(try Data(contentsOf: target) == Data(content))
            let read = try #require(try await store.read("media/5/video.mp4", range: nil))
            #expect(try await bytes(of: read) == content)
            #expect(read.info.size == Int64(content.count))
        }
    }

    @Test("Keys that could escape the store or confuse it are rejected by every operation", arguments: StoreKind.all)
    func invalidKeys(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let file = try temporaryFile([1])
            defer { try? FileManager.default.removeItem(at: file) }
            for key in ["../escape.jpg", "/absolute.jpg", "media//double", "media/./dot", "media/a b.jpg", ""] {
                let rejected = BlobStoreError.invalidKey(key)
                await #expect(throws: rejected) { try await store.put(key, data: Data([1]), contentType: "image/jpeg") }
                await #expect(throws: rejected) { try await store.put(key, file: file, contentType: "image/jpeg") }
                await #expect(throws: rejected) { try await store.info(key) }
                await #expect(throws: rejected) { try await store.read(key, range: 0...1) }
                await #expect(throws: rejected) { try await store.download(key, to: file) }
                await #expect(throws: rejected) { try await store.delete(key) }
            }
            await #expect(throws: BlobStoreError.self) { try await store.deleteAll(prefix: "../") }
            await #expect(throws: BlobStoreError.self) { try await store.deleteAll(prefix: "") }
        }
    }
}
