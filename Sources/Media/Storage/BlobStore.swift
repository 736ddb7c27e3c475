import Foundation
import NIOCore

/// What is known about a stored blob without reading it.
public struct BlobInfo: Sendable, Equatable {
    public var size: Int64
    /// A strong validator: equal ETags mean equal bytes.
    public var etag: String
    public var contentType: String

    public init(size: Int64, etag: String, contentType: String) {
        self.size = size
        self.etag = etag
        self.contentType = contentType
    }
}

/// A blob opened for reading: its metadata and the requested bytes as a stream of chunks.
public struct BlobRead: Sendable {
    public var info: BlobInfo
    /// The bytes served, `nil` for the whole blob.
    public var range: ClosedRange<Int64>?
    public var body: AsyncThrowingStream<ByteBuffer, any Error>

    public init(info: BlobInfo, range: ClosedRange<Int64>?, body: AsyncThrowingStream<ByteBuffer, any Error>) {
        self.info = info
        self.range = range
        self.body = body
    }
}

/// Where media bytes live. Keys are relative paths (`media/123/small.jpg`) of letters, digits,
/// `.`, `_`, `-` and `/`. Implementations: `LocalBlobStore` (the default, under the data
/// directory) and `S3BlobStore` (any S3-compatible API). Both pass `BlobStoreContractTests`.
public protocol BlobStore: Sendable {
    /// Stores the file at `file` under `key`, replacing what was there.
    func put(_ key: String, file: URL, contentType: String) async throws
    func put(_ key: String, data: Data, contentType: String) async throws
    /// `nil` when there is no such blob.
    func info(_ key: String) async throws -> BlobInfo?
    /// Opens `key` for reading, optionally only `range` (inclusive, clamped to the blob); `nil` when missing.
    func read(_ key: String, range: ClosedRange<Int64>?) async throws -> BlobRead?
    /// Copies a blob to a local file, for processing.
    func download(_ key: String, to file: URL) async throws
    /// Deletes one blob; deleting a missing one is not an error.
    func delete(_ key: String) async throws
    /// Deletes every blob whose key starts with `prefix`.
    func deleteAll(prefix: String) async throws
}

public enum BlobKey {
    /// True for keys made only of safe characters, with no empty, `.` or `..` segments.
    public static func isValid(_ key: String) -> Bool {
        guard !key.isEmpty, key.count <= 512, !key.hasPrefix("/") else { return false }
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "._-/".unicodeScalars.contains(scalar)
        }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        return allowed && !segments.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}

public enum BlobStoreError: Error, Equatable {
    case invalidKey(String)
    case notFound(String)
    case backend(String)
}
