import EntativaModels
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error that escapes a handler into an RFC 9457 answer, and gives each request an ID
/// that appears in the logs, the `X-Request-ID` header and every problem document.
public struct ProblemMiddleware<Context: AppContextProtocol>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = Self.requestID(from: request)
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.render(error, requestID: requestID, logger: context.logger, request: request)
        }
        response.headers[.requestID] = requestID
        return response
    }

    static func requestID(from request: Request) -> String {
        // A proxy's ID is kept so one request can be followed through both logs.
        if let given = request.headers[.requestID], given.utf8.count <= 64,
            given.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !given.isEmpty
        {
            return given
        }
        return newRequestID()
    }

    /// A random (version 4) UUID in lower case, written straight from its bytes:
    /// `uuidString.lowercased()` built two strings per request, and `UUID()` opened and read
    /// /dev/urandom each time where the system generator makes one getrandom call.
    static func newRequestID() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var generator = SystemRandomNumberGenerator()
        var bits = (generator.next() as UInt64, generator.next() as UInt64)
        withUnsafeMutableBytes(of: &bits) { bytes in
            bytes[6] = bytes[6] & 0x0F | 0x40
            bytes[8] = bytes[8] & 0x3F | 0x80
        }
        return withUnsafeBytes(of: bits) { uuid in
            String(unsafeUninitializedCapacity: 36) { text in
                var position = 0
                for (index, byte) in uuid.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = hex[Int(byte >> 4)]
                    text[position + 1] = hex[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }

    static func render(_ error: any Error, requestID: String, logger: Logger, request: Request) -> Response {
        let appError = translate(error)
        if appError.status >= 500 {
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
        }
        let (headers, body) = document(for: appError, requestID: requestID)
        return Response(
            status: .init(code: appError.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The headers and body of the problem document for `appError`; also used where an answer
    /// is written below the router (a refused WebSocket upgrade).
    static func document(for appError: AppError, requestID: String) -> (headers: HTTPFields, body: Data) {
        var problem = appError.problem
        problem.requestId = requestID
        var headers: HTTPFields = [.contentType: "application/problem+json", .requestID: requestID]
        if let retry = appError.retryAfterSeconds { headers[.retryAfter] = String(retry) }
        if appError.status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        return (headers, (try? EntativaJSON.encoder().encode(problem)) ?? Data())
    }

    static func translate(_ error: any Error) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as HTTPError:
            return fromStatus(error.status.code, detail: error.body)
        case let error as any HTTPResponseError:
            return fromStatus(error.status.code, detail: nil)
        case _ where isPoolExhaustion(error):
            // Every database connection stayed busy past the pool's wait: the server is
            // overloaded, not broken, and the client may retry.
            var busy = AppError.unavailable("The server is busy; try again shortly.")
            busy.retryAfterSeconds = 1
            return busy
        default:
            return AppError(status: 500, code: "internal", title: "Internal server error", detail: "Something went wrong on our side.")
        }
    }

    /// AsyncKit's pool timeout, matched by name: the kernel reaches AsyncKit only through the
    /// database drivers and does not import it.
    static func isPoolExhaustion(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)) == "AsyncKit.ConnectionPoolTimeoutError"
    }

    static func fromStatus(_ status: Int, detail: String?) -> AppError {
        switch status {
        case 404: return .notFound("route")
        case 405: return AppError(status: 405, code: "method-not-allowed", title: "Method not allowed", detail: detail)
        case 413: return .tooLarge(detail ?? "The request body is too large.")
        case 400..<500:
            return AppError(status: status, code: "http-\(status)", title: HTTPResponse.Status(code: status).reasonPhrase, detail: detail)
        default:
            return AppError(status: status, code: "http-\(status)", title: "Server error", detail: nil)
        }
    }
}

extension HTTPField.Name {
    public static let requestID = Self("X-Request-ID")!
    public static let idempotencyKey = Self("Idempotency-Key")!
    public static let idempotentReplayed = Self("Idempotent-Replayed")!
    public static let forwardedFor = Self("X-Forwarded-For")!
}
