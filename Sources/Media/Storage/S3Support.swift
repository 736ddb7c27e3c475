import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Where and how to reach an S3-compatible bucket.
public struct S3Configuration: Sendable, Equatable {
    public var endpoint: URL
    public var bucket: String
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// `https://host/bucket/key` instead of `https://bucket.host/key`. MinIO, moto and most
    /// self-hosted stores need path style; AWS prefers virtual-hosted style.
    public var forcePathStyle: Bool

    public init(
        endpoint: URL, bucket: String, region: String = "us-east-1", accessKeyID: String,
        secretAccessKey: String, forcePathStyle: Bool = true
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.forcePathStyle = forcePathStyle
    }
}

/// A file's bytes, read on NIO's blocking-I/O pool one chunk per `next()`: an upload pulls from
/// disk only as fast as the socket drains, so a 2 GB video never sits in memory.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let url: URL
    let chunkSize: Int

    func makeAsyncIterator() -> Iterator { Iterator(url: url, chunkSize: chunkSize) }

    struct Iterator: AsyncIteratorProtocol {
        let url: URL
        let chunkSize: Int
        var handle: FileHandle?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            let handle = try self.handle ?? FileHandle(forReadingFrom: url)
            self.handle = handle
            let size = chunkSize
            let data = try await NIOThreadPool.singleton.runIfActive { try handle.read(upToCount: size) }
            guard let data, !data.isEmpty else {
                finished = true
                try? handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }
}

/// Pulls a response body on demand and trims it to a window, for servers that ignore `Range`
/// and answer the whole object.
/// `@unchecked Sendable`: `AsyncThrowingStream(unfolding:)` never calls its producer concurrently,
/// so the iterator is only ever touched by one task at a time.
final class ResponseBodyPump: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var skip: Int64
    private var remaining: Int64?

    init(_ body: HTTPClientResponse.Body, skip: Int64 = 0, take: Int64? = nil) {
        iterator = body.makeAsyncIterator()
        self.skip = skip
        remaining = take
    }

    func next() async throws -> ByteBuffer? {
        while true {
            if let remaining, remaining <= 0 { return nil }
            guard var buffer = try await iterator.next() else { return nil }
            if skip > 0 {
                let dropped = Int(min(skip, Int64(buffer.readableBytes)))
                buffer.moveReaderIndex(forwardBy: dropped)
                skip -= Int64(dropped)
            }
            if let left = remaining {
                if buffer.readableBytes > left { buffer = buffer.getSlice(at: buffer.readerIndex, length: Int(left))! }
                remaining = left - Int64(buffer.readableBytes)
            }
            if buffer.readableBytes > 0 { return buffer }
        }
    }

    var stream: AsyncThrowingStream<ByteBuffer, any Error> {
        AsyncThrowingStream { try await self.next() }
    }
}

/// Just enough XML for S3's answers (list results, errors, batch deletes). Tags carry no
/// attributes there and never nest inside themselves, so scanning is exact and needs no libxml2.
enum S3XML {
    static func values(_ tag: String, in xml: String) -> [String] {
        var found: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(tag)>"), let close = rest.range(of: "</\(tag)>", range: open.upperBound..<rest.endIndex) {
            found.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func first(_ tag: String, in xml: String) -> String? {
        values(tag, in: xml).first
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let code = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let scalar = code.flatMap(Unicode.Scalar.init) { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
