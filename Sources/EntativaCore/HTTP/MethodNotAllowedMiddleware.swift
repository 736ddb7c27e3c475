import HTTPTypes
import Hummingbird

/// Turns the router's "no route" into 405 with `Allow` when the path exists with other methods
/// (RFC 9110 §15.5.6): `DELETE /api/v1/instance` is not a missing page, it is the wrong verb.
/// Handlers answer their own 404s as `AppError`, so only the router's bare 404 is looked at.
public struct MethodNotAllowedMiddleware<Context: AppContextProtocol>: RouterMiddleware {
    let document: OpenAPIDocument

    public init(document: OpenAPIDocument) { self.document = document }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only what the document lists: the router answers HEAD only where a route says so.
            let allowed = document.methods(serving: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let refusal = AppError(
                status: 405, code: "method-not-allowed", title: "Method not allowed",
                detail: "\(request.uri.path) answers \(allowed.joined(separator: ", ")).")
            // The problem renderer outside this middleware named the request; the body says the same.
            let requestID = context.logger[metadataKey: "request_id"].map { "\($0)" } ?? ""
            var (headers, body) = ProblemMiddleware<Context>.document(for: refusal, requestID: requestID)
            headers[.allow] = allowed.joined(separator: ", ")
            return Response(status: .methodNotAllowed, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
