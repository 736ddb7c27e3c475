import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// Makes a retried creating POST safe: the first answer to an `Idempotency-Key` is stored and
/// replayed to every retry with the same key and body, so a flaky network never registers an
/// account or posts a message twice. Keys are scoped to the caller and kept for a day.
public struct IdempotencyMiddleware<Context: AppContextProtocol>: RouterMiddleware {
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

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AppError.malformed("Idempotency-Key must be 1–255 visible ASCII characters.")
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let scope = context.principal.map { "account:\($0.accountID)" } ?? "ip:\(context.client.ip)"
        var hasher = SHA256()
        hasher.update(data: Data(request.uri.path.utf8))
        hasher.update(data: Data(buffer: body))
        let requestHash = hasher.finalize().map { String(format: "%02x", $0) }.joined()

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
