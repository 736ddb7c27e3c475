import Hummingbird

/// Records where a request came from and, when it carries a bearer token, who sent it. A token
/// that is present but invalid fails the request with 401 at once, even on public routes, so a
/// client with an expired token learns it instead of silently seeing the anonymous view.
public struct AuthenticationMiddleware<Context: AppContextProtocol>: RouterMiddleware {
    let verifier: any AccessTokenVerifier
    let trustProxy: Bool

    public init(verifier: any AccessTokenVerifier, trustProxy: Bool) {
        self.verifier = verifier
        self.trustProxy = trustProxy
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.client.userAgent = String((request.headers[.userAgent] ?? "").prefix(512))
        if trustProxy, let forwarded = request.headers[.forwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            context.client.ip = String(last.prefix(64))
        }
        if let header = request.headers[.authorization] {
            guard let token = Principal.bearerToken(in: header) else { throw AppError.unauthenticated("Use the Bearer scheme.") }
            context.principal = try await verifier.principal(forAccessToken: token)
            context.logger[metadataKey: "account_id"] = "\(context.principal!.accountID)"
        }
        return try await next(request, context)
    }
}
