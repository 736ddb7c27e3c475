import EntativaCore
import EntativaModels
import Foundation
import HTTPTypes
import Hummingbird

/// tus 1.0 at `/api/v1/uploads` with the creation, termination and expiration extensions.
struct TusRoutes {
    let env: MediaEnvironment
    let uploads: ResumableUploads
    static let version = "1.0.0"

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let uploads = self.uploads
        let maxSize = env.policy.maxVideoBytes
        var options = APIOperation(
            "tusOptions", "tus capabilities", tag: "uploads", access: .anyone, status: 204,
            description: "Answers Tus-Version, Tus-Extension and Tus-Max-Size.")
        options.responseHeaders = [("Tus-Version", "1.0.0"), ("Tus-Extension", "creation,termination,expiration"), ("Tus-Max-Size", "Bytes")]
        anyone.add(.options, "/api/v1/uploads", options) { _, _ in
            Response(status: .noContent, headers: [
                .tusResumable: Self.version, .tusVersion: Self.version, .tusExtension: "creation,termination,expiration",
                .tusMaxSize: String(maxSize),
            ])
        }

        var create = APIOperation(
            "tusCreate", "Start a resumable upload", tag: "uploads", access: .signedIn, status: 201, errors: [412, 413, 422],
            description: "tus creation: `Upload-Length` bytes, optional `Upload-Metadata` (`filename`, `filetype`, `private`, `encrypted`).")
        create.headers = [
            ("Tus-Resumable", true, "1.0.0"), ("Upload-Length", true, "Total size in bytes"),
            ("Upload-Metadata", false, "Comma-separated `key base64value` pairs"),
        ]
        create.idempotency = .body
        create.responseHeaders = [("Location", "The upload's URL"), ("Upload-Expires", "When an untouched upload is deleted")]
        signedIn.add(.post, "/api/v1/uploads", create) { request, context in
            try Self.requireVersion(request)
            guard let text = request.headers[.uploadLength], let length = OutsideInteger.parse(text, in: OutsideInteger.nonNegative) else {
                throw AppError.invalid(field: "Upload-Length", code: "required", message: "must be the total size in bytes")
            }
            let metadata = try Self.parseMetadata(request.headers[.uploadMetadata])
            let row = try await uploads.create(owner: context.caller.accountID, length: length, metadata: metadata)
            return Response(status: .created, headers: [
                .location: env.kernel.config.publicURL + "/api/v1/uploads/\(row.id)", .tusResumable: Self.version,
                .uploadExpires: Self.httpDate(row.expiresAt),
            ])
        }

        var head = APIOperation("tusHead", "How many bytes of an upload the server has", tag: "uploads", access: .signedIn, errors: [412])
        head.headers = [("Tus-Resumable", true, "1.0.0")]
        head.responseHeaders = [
            ("Upload-Offset", "Bytes received"), ("Upload-Length", "Total bytes"), ("Upload-Expires", "Expiry"),
            ("Media-Id", "The media made from a complete upload"),
        ]
        signedIn.add(.head, "/api/v1/uploads/{id}", head) { request, context in
            try Self.requireVersion(request)
            let row = try await uploads.status(try context.parameters.id("id"), caller: context.caller)
            return Response(status: .ok, headers: Self.progressHeaders(row, includeLength: true))
        }

        var patch = APIOperation(
            "tusPatch", "Append bytes to an upload", tag: "uploads", access: .signedIn, body: "Binary", status: 204,
            errors: [409, 412, 413, 415],
            description: "Body `application/offset+octet-stream` starting at `Upload-Offset`. The request that completes the upload answers `Media-Id`; a file that fails validation answers 422 and is deleted.")
        patch.bodyContentType = "application/offset+octet-stream"
        patch.headers = [("Tus-Resumable", true, "1.0.0"), ("Upload-Offset", true, "Where these bytes start")]
        patch.responseHeaders = [("Upload-Offset", "Bytes received"), ("Upload-Expires", "Expiry"), ("Media-Id", "Set when complete")]
        signedIn.add(.patch, "/api/v1/uploads/{id}", patch) { request, context in
            try Self.requireVersion(request)
            guard request.headers[.contentType]?.lowercased() == "application/offset+octet-stream" else {
                throw AppError.unsupportedMediaType("Send the bytes as application/offset+octet-stream.")
            }
            guard let text = request.headers[.uploadOffset], let offset = OutsideInteger.parse(text, in: OutsideInteger.nonNegative) else {
                throw AppError.invalid(field: "Upload-Offset", code: "required", message: "must be a byte offset")
            }
            let row = try await uploads.append(try context.parameters.id("id"), offset: offset, caller: context.caller, body: request.body)
            return Response(status: .noContent, headers: Self.progressHeaders(row, includeLength: false))
        }

        var terminate = APIOperation("tusTerminate", "Abandon an upload and delete its bytes", tag: "uploads", access: .signedIn, status: 204, errors: [409, 412])
        terminate.headers = [("Tus-Resumable", true, "1.0.0")]
        signedIn.add(.delete, "/api/v1/uploads/{id}", terminate) { request, context in
            try Self.requireVersion(request)
            try await uploads.terminate(try context.parameters.id("id"), caller: context.caller)
            return Response(status: .noContent, headers: [.tusResumable: Self.version])
        }
    }

    static func requireVersion(_ request: Request) throws {
        guard request.headers[.tusResumable] == version else {
            throw AppError(
                status: 412, code: "tus-version", title: "Unsupported tus version", detail: "Send Tus-Resumable: \(version).")
        }
    }

    static func progressHeaders(_ row: UploadRow, includeLength: Bool) -> HTTPFields {
        var headers: HTTPFields = [
            .tusResumable: version, .uploadOffset: String(row.uploadOffset), .cacheControl: "no-store",
            .uploadExpires: httpDate(row.expiresAt),
        ]
        if includeLength { headers[.uploadLength] = String(row.length) }
        if let media = row.mediaId { headers[.mediaID] = media.description }
        return headers
    }

    /// `key base64,key2 base64`, as tus clients send file names and types.
    static func parseMetadata(_ header: String?) throws -> [String: String] {
        guard let header, !header.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in header.split(separator: ",") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let key = parts.first, !key.isEmpty, key.count <= 64 else {
                throw AppError.invalid(field: "Upload-Metadata", code: "invalid", message: "must be `key base64value` pairs")
            }
            let value = parts.count > 1 ? Data(base64Encoded: String(parts[1])).map { String(decoding: $0, as: UTF8.self) } : ""
            guard let value, value.count <= 1024 else {
                throw AppError.invalid(field: "Upload-Metadata", code: "invalid", message: "values must be base64, at most 1 KB")
            }
            result[String(key)] = value
        }
        return result
    }

    static func httpDate(_ millis: Int64) -> String {
        Date(millisecondsSince1970: millis).formatted(
            Date.VerbatimFormatStyle(
                format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
                locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(identifier: "GMT")!, calendar: Calendar(identifier: .gregorian)))
    }
}

extension HTTPField.Name {
    static let tusResumable = Self("Tus-Resumable")!
    static let tusVersion = Self("Tus-Version")!
    static let tusExtension = Self("Tus-Extension")!
    static let tusMaxSize = Self("Tus-Max-Size")!
    static let uploadLength = Self("Upload-Length")!
    static let uploadOffset = Self("Upload-Offset")!
    static let uploadMetadata = Self("Upload-Metadata")!
    static let uploadExpires = Self("Upload-Expires")!
    static let mediaID = Self("Media-Id")!
}
