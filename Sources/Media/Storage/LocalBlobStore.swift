import Crypto
import EntativaCore
import Foundation
import NIOCore
import NIOPosix

/// Blobs as files under a root directory. Writes go to a temporary file first and are renamed
/// into place, so a reader never sees half a blob and a crash leaves no torn file.
public struct LocalBlobStore: BlobStore {
    public let root: URL
    static let chunkSize = 256 * 1024

    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func path(_ key: String) throws -> URL {
        guard BlobKey.isValid(key) else { throw BlobStoreError.invalidKey(key) }
        return root.appendingPathComponent(key)
    }

    public func put(_ key: String, file: URL, contentType: String) async throws {
        let target = try path(key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).part")
        try FileManager.default.copyItem(at: file, to: staging)
        try replace(target, with: staging)
        try writeContentType(contentType, for: target)
    }

    public func put(_ key: String, data: Data, contentType: String) async throws {
        let target = try path(key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).part")
        try data.write(to: staging)
        try replace(target, with: staging)
        try writeContentType(contentType, for: target)
    }

    private func replace(_ target: URL, with staging: URL) throws {
        if rename(staging.path, target.path) != 0 {
            throw BlobStoreError.backend("rename failed: \(String(cString: strerror(errno)))")
        }
    }

    // The content type rides along in a sidecar file, as a filesystem has no metadata for it.
    private func writeContentType(_ contentType: String, for target: URL) throws {
        try Data(contentType.utf8).write(to: sidecar(target), options: .atomic)
    }

    private func sidecar(_ target: URL) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).type")
    }

    public func info(_ key: String) async throws -> BlobInfo? {
        let target = try path(key)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path),
            (attributes[.type] as? FileAttributeType) == .typeRegular
        else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        // Files are replaced, never edited, so inode + size + mtime changes whenever the bytes do.
        let tag = SHA256.hash(data: Data("\(inode)-\(size)-\(modified)".utf8)).prefix(12).lowercaseHex
        let type = (try? String(contentsOf: sidecar(target), encoding: .utf8)) ?? "application/octet-stream"
        return BlobInfo(size: size, etag: "\"\(tag)\"", contentType: type)
    }

    public func read(_ key: String, range: ClosedRange<Int64>?) async throws -> BlobRead? {
        guard let info = try await info(key) else { return nil }
        let target = try path(key)
        let clamped = range.map { $0.clamped(to: 0...max(info.size - 1, 0)) }
        let start = clamped?.lowerBound ?? 0
        let length = clamped.map { $0.upperBound - $0.lowerBound + 1 } ?? info.size
        let handle = try FileHandle(forReadingFrom: target)
        let body = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            let task = Task {
                defer { try? handle.close() }
                do {
                    try handle.seek(toOffset: UInt64(start))
                    var remaining = length
                    while remaining > 0 {
                        let data = try handle.read(upToCount: Int(min(Int64(Self.chunkSize), remaining))) ?? Data()
                        if data.isEmpty { break }
                        remaining -= Int64(data.count)
                        continuation.yield(ByteBuffer(bytes: data))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return BlobRead(info: info, range: clamped, body: body)
    }

    public func download(_ key: String, to file: URL) async throws {
        let source = try path(key)
        guard FileManager.default.fileExists(atPath: source.path) else { throw BlobStoreError.notFound(key) }
        try? FileManager.default.removeItem(at: file)
        try FileManager.default.copyItem(at: source, to: file)
    }

    public func delete(_ key: String) async throws {
        let target = try path(key)
        try? FileManager.default.removeItem(at: target)
        try? FileManager.default.removeItem(at: sidecar(target))
    }

    public func deleteAll(prefix: String) async throws {
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        // Validate outside the `try?`, which is only there because a missing folder is fine.
        let folder = try path(trimmed)
        try? FileManager.default.removeItem(at: folder)
    }
}
