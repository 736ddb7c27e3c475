import EntativaCore
import EntativaModels
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/media/…`: the stored files, with byte ranges, ETags and cache headers. Files follow their
/// owner: a private account's files need a valid signed path, a suspended or deleted account's
/// are 404. Public files go to shared caches, private ones to the viewer's only; either way for
/// at most `MediaCaching.maxAge`, then revalidated (see `MediaCaching`).
struct MediaFileRoutes {
    let env: MediaEnvironment

    func register(router: Router<AppRequestContext>, document: OpenAPIDocument) {
        let env = self.env
        router.get("/media/p/:id/**") { request, context in
            try await serve(request, context: context, id: context.parameters.id("id"), signed: nil, env: env)
        }
        router.head("/media/p/:id/**") { request, context in
            try await serve(request, context: context, id: context.parameters.id("id"), signed: nil, env: env)
        }
        router.get("/media/s/:id/:expires/:signature/**") { request, context in
            try await serve(request, context: context, id: context.parameters.id("id"), signed: try signedPart(context), env: env)
        }
        router.head("/media/s/:id/:expires/:signature/**") { request, context in
            try await serve(request, context: context, id: context.parameters.id("id"), signed: try signedPart(context), env: env)
        }
        var operation = APIOperation(
            "getMediaFile", "A media file (public media)", tag: "media", access: .anyone, response: "Binary", errors: [404, 416],
            description: "`{file}` may contain slashes (`hls/720p/segment_000.ts`). Supports `Range` and `If-None-Match`.")
        operation.responseContentType = "application/octet-stream"
        operation.headers = [("Range", false, "bytes=start-end"), ("If-None-Match", false, "An ETag from an earlier answer")]
        operation.responseHeaders = [("ETag", "Strong validator"), ("Accept-Ranges", "bytes"), ("Cache-Control", "Caching policy")]
        document.add(method: "get", path: "/media/p/{id}/{file}", operation)
        operation.id = "getSignedMediaFile"
        operation.pathSchemas = [
            "expires": Schema.string(pattern: "^[0-9]{1,19}$", description: "Seconds since 1970"),
            "signature": Schema.string(minLength: 1, maxLength: 64),
        ]
        operation.summary = "A media file (private media, signed path)"
        operation.errors = [403, 404, 416]
        document.add(method: "get", path: "/media/s/{id}/{expires}/{signature}/{file}", operation)
        document.addSchema("Binary", ["type": "string", "format": "binary"])
    }
}

/// The expiry and signature of a signed path; one that can't be ours is refused before any lookup.
private func signedPart(_ context: AppRequestContext) throws -> (expires: Int64, signature: String) {
    guard let expires = MediaURLs.parseExpiry(context.parameters.get("expires")), let signature = context.parameters.get("signature"),
        signature.utf8.count <= 64
    else { throw AppError.forbidden("This link has expired or is not valid.") }
    return (expires, signature)
}

private func serve(
    _ request: Request, context: AppRequestContext, id: MediaID, signed: (expires: Int64, signature: String)?, env: MediaEnvironment
) async throws -> Response {
    let path = context.parameters.getCatchAll().joined(separator: "/")
    // The source upload is never served: it may still carry EXIF and GPS data.
    guard !path.isEmpty, path != "source", BlobKey.isValid(path) else { throw AppError.notFound("file") }
    guard let row = try await MediaStore.find(id, on: env.kernel.database.sql), row.state == .ready else {
        throw AppError.notFound("file")
    }
    // One indexed read of the owner's account, on every request (revalidations too), so a
    // suspension or a switch to private counts from the next request on.
    let owner = try await env.owners.standing(of: row.ownerId)
    guard owner != .hidden else { throw AppError.notFound("file") }
    let needsSignature = row.needsSignature(owner: owner)
    if let signed {
        guard needsSignature else { throw AppError.notFound("file") }
        guard env.urls.verify(id: id, expires: signed.expires, signature: signed.signature) else {
            throw AppError.forbidden("This link has expired or is not valid.")
        }
    } else if needsSignature {
        throw AppError.notFound("file")
    }
    let key = MediaLocation.prefix(id) + path
    guard let info = try await env.blobs.info(key) else { throw AppError.notFound("file") }

    var headers: HTTPFields = [
        .eTag: info.etag, .acceptRanges: "bytes", .contentType: info.contentType,
        .cacheControl: MediaCaching.header(signedUntil: signed?.expires, now: env.now),
    ]
    if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == info.etag || $0 == "*" }) {
        return Response(status: .notModified, headers: headers)
    }
    var range: ClosedRange<Int64>?
    if let header = request.headers[.range], request.headers[.ifRange].map({ $0 == info.etag }) ?? true {
        switch ByteRange.parse(header, size: info.size) {
        case .whole: range = nil
        case .range(let parsed): range = parsed
        case .unsatisfiable:
            throw AppError(status: 416, code: "range-not-satisfiable", title: "Range not satisfiable", detail: "The file has \(info.size) bytes.")
        }
    }
    let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? info.size
    headers[.contentLength] = String(length)
    if let range { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(info.size)" }
    let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
    if request.method == .head { return Response(status: status, headers: headers) }
    guard let read = try await env.blobs.read(key, range: range) else { throw AppError.notFound("file") }
    return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: read.body))
}

/// How long caches may reuse a file without asking again. A file never changes under its name,
/// but whether it may be served does: its owner can go private, be suspended or be deleted, and
/// its post can be narrowed or deleted. A year of `immutable` caching kept such files public in
/// every browser and CDN that had seen them, so the answer is fresh for a minute and then must be
/// revalidated: a `304` (strong ETag, no body) while the file is still allowed, a `404` once not.
enum MediaCaching {
    static let maxAge: Int64 = 60

    /// Public files may sit in shared caches; signed ones only in the viewer's, and never past
    /// their signature's expiry.
    static func header(signedUntil expires: Int64?, now: Int64) -> String {
        guard let expires else { return "public, max-age=\(maxAge), must-revalidate" }
        return "private, max-age=\(min(maxAge, max(0, expires - now / 1000))), must-revalidate"
    }
}

/// One `Range: bytes=…` header, read as RFC 9110 says; several ranges are answered whole.
enum ByteRange: Equatable {
    case whole
    case range(ClosedRange<Int64>)
    case unsatisfiable

    static func parse(_ header: String, size: Int64) -> ByteRange {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        if parts[0].isEmpty {
            guard let suffix = position(parts[1]), suffix > 0, size > 0 else { return .unsatisfiable }
            return .range(max(0, size - suffix)...(size - 1))
        }
        guard let start = position(parts[0]) else { return .whole }
        guard start < size else { return .unsatisfiable }
        if parts[1].isEmpty { return .range(start...(size - 1)) }
        guard let end = position(parts[1]) else { return .whole }
        guard end >= start else { return .whole }
        // RFC 9110 §14.1.2: a last position past the end means "to the end", however large.
        return .range(start...min(end, size - 1))
    }

    /// A byte position: decimal digits only. One too large for 64 bits is still a position —
    /// past every file's end — so it saturates instead of failing.
    private static func position(_ text: Substring) -> Int64? {
        guard OutsideInteger.isDigits(text) else { return nil }
        return OutsideInteger.parse(text, in: OutsideInteger.nonNegative) ?? Int64.max
    }
}
