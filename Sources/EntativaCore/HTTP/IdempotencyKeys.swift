import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// Makes a retried creating POST safe: the first answer to an `Idempotency-Key` is stored and
/// replayed to every retry with the same key and request, so a flaky network never posts a
/// message or uploads a file twice. Keys are scoped to the caller and kept for a day, then
/// purged by a scheduled job.
///
/// Only operations that opt in (`APIOperation.idempotency`) honour the header, and none of them
/// answers with a credential: a stored answer is a plaintext copy, so sign-in, registration,
/// refresh and TOTP set-up never opt in.
public struct IdempotencyKeys: Sendable {
    /// How an operation recognises a retry of the same request.
    public enum Fingerprint: Sendable {
        /// The path and the whole (JSON) body.
        case body
        /// The path, `Content-Length` and the media type without its parameters: for uploads,
        /// whose bodies are streamed to disk and never held in memory (and whose multipart
        /// boundary a client may pick anew on every retry).
        case streamedBody
    }

    static let purgeJob = JobDefinition<Kernel.Empty>("core.purge_idempotency_keys")

    let database: AppDatabase
    let clock: any WallClock
    let lifetime: Duration
    /// How long a first attempt may run before a retry is allowed to take it over.
    let inFlightTimeout: Duration = .seconds(60)

    public init(database: AppDatabase, clock: any WallClock, lifetime: Duration) {
        self.database = database
        self.clock = clock
        self.lifetime = lifetime
    }

    /// Runs `next` once per key: a retry gets the stored answer instead.
    public func handle<Context: AppContextProtocol>(
        _ request: Request, context: Context, fingerprint: Fingerprint, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey] else { return try await next(request, context) }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw AppError.malformed("Idempotency-Key must be 1–255 visible ASCII characters.")
        }
        var request = request
        var hasher = SHA256()
        hasher.update(data: Data(request.uri.path.utf8))
        switch fingerprint {
        case .body:
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            hasher.update(data: Data(buffer: body))
        case .streamedBody:
            let length = request.headers[.contentLength] ?? ""
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            hasher.update(data: Data("\n\(length)\n\(type)".utf8))
        }
        let requestHash = hasher.finalize().lowercaseHex
        let scope = context.principal.map { "account:\($0.accountID)" } ?? "ip:\(context.client.ip)"

        if let replay = try await reserve(scope: scope, key: key, requestHash: requestHash) {
            return replay
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try? await release(scope: scope, key: key)
            throw error
        }
        return try await store(response, scope: scope, key: key)
    }

    /// Deletes keys past their lifetime; every instance may run it, the work is the same.
    public func purge() async throws {
        try await database.sql.raw("""
            DELETE FROM idempotency_keys WHERE created_at < \(bind: clock.nowMillis() - lifetime.milliseconds)
            """).run()
    }

    func registerJobs(_ jobs: JobQueue) {
        let keys = self
        jobs.register(Self.purgeJob) { _ in try await keys.purge() }
        try? jobs.every(Self.purgeJob, interval: .seconds(3600), payload: Kernel.Empty())
    }

    /// Claims the key for this request, or answers with what the first request got.
    private func reserve(scope: String, key: String, requestHash: String) async throws -> Response? {
        let now = clock.nowMillis()
        try await database.sql.raw("""
            DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key)
            AND (created_at < \(bind: now - lifetime.milliseconds)
                 OR (status IS NULL AND created_at < \(bind: now - inFlightTimeout.milliseconds)))
            """).run()
        let inserted = try await database.sql.raw("""
            INSERT INTO idempotency_keys (scope, key, request_hash, created_at)
            VALUES (\(bind: scope), \(bind: key), \(bind: requestHash), \(bind: now))
            ON CONFLICT (scope, key) DO NOTHING RETURNING key
            """).all()
        if !inserted.isEmpty { return nil }
        guard let row = try await database.sql.raw("""
            SELECT request_hash, status, body, content_type, location FROM idempotency_keys
            WHERE scope = \(bind: scope) AND key = \(bind: key)
            """).first()
        else { throw AppError.conflict("The first request with this Idempotency-Key is still running.", code: "idempotency-in-flight") }
        let stored = try row.decode(StoredAnswer.self)
        guard stored.requestHash == requestHash else {
            throw AppError.invalid(field: "Idempotency-Key", code: "reused", message: "was already used for a different request")
        }
        guard let status = stored.status else {
            var error = AppError.conflict("The first request with this Idempotency-Key is still running.", code: "idempotency-in-flight")
            error.retryAfterSeconds = 1
            throw error
        }
        var headers: HTTPFields = [.idempotentReplayed: "true"]
        if let type = stored.contentType { headers[.contentType] = type }
        if let location = stored.location { headers[.location] = location }
        let bytes = ByteBuffer(string: stored.body ?? "")
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: bytes))
    }

    private func store(_ response: Response, scope: String, key: String) async throws -> Response {
        guard response.status.code < 500 else {
            try? await release(scope: scope, key: key)
            return response
        }
        let collected = CollectedBody()
        try await response.body.write(CollectingWriter(target: collected))
        let text = String(buffer: collected.buffer)
        try await database.sql.raw("""
            UPDATE idempotency_keys SET status = \(bind: response.status.code), body = \(bind: text),
                content_type = \(bind: response.headers[.contentType]), location = \(bind: response.headers[.location])
            WHERE scope = \(bind: scope) AND key = \(bind: key)
            """).run()
        var copy = response
        copy.body = .init(byteBuffer: collected.buffer)
        return copy
    }

    private func release(scope: String, key: String) async throws {
        try await database.sql.raw("""
            DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND status IS NULL
            """).run()
    }

    struct StoredAnswer: Decodable {
        var requestHash: String
        var status: Int?
        var body: String?
        var contentType: String?
        var location: String?
    }
}

/// Gathers a response body in memory; only used on small JSON answers.
final class CollectedBody {
    var buffer = ByteBuffer()
}

struct CollectingWriter: ResponseBodyWriter {
    let target: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        target.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
