import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Blobs in an S3-compatible bucket (AWS, MinIO, Ceph, R2, moto …), spoken to directly over
/// HTTP with SigV4 signing rather than through an SDK.
public struct S3BlobStore: BlobStore {
    public let configuration: S3Configuration
    /// Keys per ListObjectsV2 page in `deleteAll`; S3 caps it (and DeleteObjects) at 1,000.
    public var listPageSize = 1000
    let client: HTTPClient
    let signer: SigV4Signer
    static let chunkSize = 256 * 1024
    /// For requests with small bodies. Streams get no deadline, as a large blob on a slow link may
    /// rightly take hours; the client's read timeout still ends a stalled one.
    static let shortDeadline = TimeAmount.seconds(60)

    public init(configuration: S3Configuration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
        signer = SigV4Signer(
            accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey,
            region: configuration.region)
    }

    // MARK: - BlobStore

    public func put(_ key: String, file: URL, contentType: String) async throws {
        try validate(key)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        // The file is streamed, so its hash is not known when the headers go out.
        let body = HTTPClientRequest.Body.stream(FileChunks(url: file, chunkSize: Self.chunkSize), length: .known(size))
        let response = try await send(
            .PUT, key: key, headers: ["content-type": contentType], body: body,
            payloadHash: SigV4Signer.unsignedPayload, deadline: nil)
        try await expectSuccess(response)
    }

    public func put(_ key: String, data: Data, contentType: String) async throws {
        try validate(key)
        let response = try await send(
            .PUT, key: key, headers: ["content-type": contentType], body: .bytes(ByteBuffer(bytes: data)),
            payloadHash: SigV4Signer.payloadHash(data))
        try await expectSuccess(response)
    }

    public func info(_ key: String) async throws -> BlobInfo? {
        try validate(key)
        let response = try await send(.HEAD, key: key)
        if response.status == .notFound { return nil }
        try await expectSuccess(response)
        let size = response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
        return Self.info(from: response.headers, size: size)
    }

    public func read(_ key: String, range: ClosedRange<Int64>?) async throws -> BlobRead? {
        try validate(key)
        guard let range else {
            let response = try await send(.GET, key: key, deadline: nil)
            if response.status == .notFound { return nil }
            try await expectSuccess(response)
            let size = response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
            return BlobRead(info: Self.info(from: response.headers, size: size), range: nil, body: ResponseBodyPump(response.body).stream)
        }
        let wanted = max(range.lowerBound, 0)...max(range.upperBound, 0)
        let response = try await send(.GET, key: key, headers: ["range": "bytes=\(wanted.lowerBound)-\(wanted.upperBound)"], deadline: nil)
        switch response.status {
        case .notFound:
            return nil
        case .partialContent:
            guard let (served, size) = Self.parseContentRange(response.headers.first(name: "content-range")) else {
                throw BlobStoreError.backend("S3 answered 206 without a usable Content-Range")
            }
            return BlobRead(info: Self.info(from: response.headers, size: size), range: served, body: ResponseBodyPump(response.body).stream)
        case .ok:
            // Some stores ignore Range and send everything; cut the window out of it here.
            let size = response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
            let served = wanted.clamped(to: 0...max(size - 1, 0))
            let take = size == 0 ? 0 : served.upperBound - served.lowerBound + 1
            let pump = ResponseBodyPump(response.body, skip: served.lowerBound, take: take)
            return BlobRead(info: Self.info(from: response.headers, size: size), range: served, body: pump.stream)
        case .rangeNotSatisfiable:
            // The range starts past the end; clamp it the way LocalBlobStore does and ask again.
            guard let info = try await info(key) else { return nil }
            let served = wanted.clamped(to: 0...max(info.size - 1, 0))
            if info.size == 0 {
                return BlobRead(info: info, range: served, body: AsyncThrowingStream { $0.finish() })
            }
            return try await read(key, range: served)
        default:
            throw await failure(response)
        }
    }

    public func download(_ key: String, to file: URL) async throws {
        try validate(key)
        let response = try await send(.GET, key: key, deadline: nil)
        if response.status == .notFound { throw BlobStoreError.notFound(key) }
        try await expectSuccess(response)
        // Written beside the target and renamed, so a failed download never leaves a torn file.
        let staging = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: staging.path, contents: nil) else {
            throw BlobStoreError.backend("cannot create \(staging.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: staging)
            defer { try? handle.close() }
            for try await buffer in response.body {
                let bytes = Data(buffer.readableBytesView)
                try await NIOThreadPool.singleton.runIfActive { try handle.write(contentsOf: bytes) }
            }
            if rename(staging.path, file.path) != 0 {
                throw BlobStoreError.backend("rename failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    public func delete(_ key: String) async throws {
        try validate(key)
        let response = try await send(.DELETE, key: key)
        if response.status == .notFound { return }
        try await expectSuccess(response)
    }

    /// Deletes everything under the folder `prefix`: `media/1` and `media/1/` both mean
    /// `media/1/…` and never `media/10/…`, exactly as LocalBlobStore removes one directory.
    public func deleteAll(prefix: String) async throws {
        let folder = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        try validate(folder)
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", folder + "/"), ("max-keys", String(listPageSize))]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send(.GET, key: nil, query: query)
            try await expectSuccess(response)
            let xml = String(buffer: try await response.body.collect(upTo: 16 << 20))
            // <Key> appears only inside <Contents> in a ListObjectsV2 answer.
            let keys = S3XML.values("Key", in: xml)
            try await deleteBatch(keys)
            token = S3XML.first("IsTruncated", in: xml) == "true" ? S3XML.first("NextContinuationToken", in: xml) : nil
        } while token != nil
    }

    /// Creates the bucket; one that already exists and is ours is fine.
    public func createBucketIfNeeded() async throws {
        var body = Data()
        // us-east-1 is the one region that rejects an explicit location constraint.
        if configuration.region != "us-east-1" {
            body = Data(
                """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
                <LocationConstraint>\(S3XML.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>
                """.utf8)
        }
        let response = try await send(.PUT, key: nil, body: .bytes(ByteBuffer(bytes: body)), payloadHash: SigV4Signer.payloadHash(body))
        if (200..<300).contains(response.status.code) { return }
        let error = await failure(response)
        if case .backend(let message) = error, message.contains("BucketAlreadyOwnedByYou") { return }
        throw error
    }

    // MARK: - Requests

    private func deleteBatch(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        let objects = keys.map { "<Object><Key>\(S3XML.escape($0))</Key></Object>" }.joined()
        let body = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>\(objects)</Delete>".utf8)
        // DeleteObjects insists on a body checksum; MD5 is what every S3-compatible store accepts.
        let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
        let response = try await send(
            .POST, key: nil, query: [("delete", "")], headers: ["content-md5": md5, "content-type": "application/xml"],
            body: .bytes(ByteBuffer(bytes: body)), payloadHash: SigV4Signer.payloadHash(body))
        try await expectSuccess(response)
        // Quiet mode lists only the keys that failed, each in an <Error>.
        let xml = String(buffer: try await response.body.collect(upTo: 16 << 20))
        if let firstError = S3XML.values("Error", in: xml).first {
            let code = S3XML.first("Code", in: firstError) ?? "unknown"
            let failed = S3XML.first("Key", in: firstError) ?? "?"
            throw BlobStoreError.backend("S3 DeleteObjects \(code) for \(failed)")
        }
    }

    private func validate(_ key: String) throws {
        guard BlobKey.isValid(key) else { throw BlobStoreError.invalidKey(key) }
    }

    /// Sends a signed request for `key` (or the bucket itself when `key` is nil).
    /// `deadline: nil` leaves streaming requests unbounded in total time.
    private func send(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [String: String] = [:],
        body: HTTPClientRequest.Body? = nil, payloadHash: String = SigV4Signer.emptyPayloadHash,
        deadline: TimeAmount? = shortDeadline
    ) async throws -> HTTPClientResponse {
        let endpoint = configuration.endpoint
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        var host = endpoint.host ?? ""
        if !configuration.forcePathStyle { host = "\(configuration.bucket).\(host)" }
        if let port = endpoint.port, port != (scheme == "https" ? 443 : 80) { host += ":\(port)" }
        var path = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        if configuration.forcePathStyle { path += "/\(configuration.bucket)" }
        if let key { path += "/\(key)" }

        let signed = signer.sign(
            method: method.rawValue, host: host, path: path, query: query, headers: headers, payloadHash: payloadHash)
        let queryString = SigV4Signer.canonicalQuery(query)
        var request = HTTPClientRequest(
            url: "\(scheme)://\(host)\(SigV4Signer.canonicalURI(path))\(queryString.isEmpty ? "" : "?" + queryString)")
        request.method = method
        for (name, value) in signed { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = body }
        do {
            return try await client.execute(request, deadline: deadline.map { .now() + $0 } ?? .distantFuture)
        } catch let error as HTTPClientError {
            throw BlobStoreError.backend("S3 \(method.rawValue) \(path): \(error)")
        }
    }

    private func expectSuccess(_ response: HTTPClientResponse) async throws {
        guard (200..<300).contains(response.status.code) else { throw await failure(response) }
    }

    /// The S3 error code from the XML body (HEAD answers have none, so then the status).
    private func failure(_ response: HTTPClientResponse) async -> BlobStoreError {
        let xml = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
        guard let code = S3XML.first("Code", in: xml) else {
            return .backend("S3 HTTP \(response.status.code)")
        }
        let message = S3XML.first("Message", in: xml).map { ": \($0)" } ?? ""
        return .backend("S3 \(code) (HTTP \(response.status.code))\(message)")
    }

    static func info(from headers: HTTPHeaders, size: Int64) -> BlobInfo {
        BlobInfo(
            size: size, etag: headers.first(name: "etag") ?? "",
            contentType: headers.first(name: "content-type") ?? "application/octet-stream")
    }

    /// `bytes 0-9/1234` → (0...9, 1234).
    static func parseContentRange(_ value: String?) -> (ClosedRange<Int64>, Int64)? {
        guard let value, value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst(6).split(separator: "/")
        guard parts.count == 2, let size = Int64(parts[1]) else { return nil }
        let bounds = parts[0].split(separator: "-")
        guard bounds.count == 2, let low = Int64(bounds[0]), let high = Int64(bounds[1]), low <= high else { return nil }
        return (low...high, size)
    }
}
