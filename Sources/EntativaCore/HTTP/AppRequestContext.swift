import EntativaModels
import Hummingbird
import Logging
import NIOCore

/// What every Entativa request context carries, signed in or not.
public protocol AppContextProtocol: RequestContext
where Decoder == APIRequestDecoder, Encoder == APIResponseEncoder {
    var client: ClientInfo { get set }
    var principal: Principal? { get set }
}

extension AppContextProtocol {
    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }
    public var maxUploadSize: Int { Limits.maxJSONBodyBytes }
}

/// The context of every request as it arrives; `principal` is set when a valid bearer token came with it.
public struct AppRequestContext: AppContextProtocol {
    public var coreContext: CoreRequestContextStorage
    public var client: ClientInfo
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let address = source.channel.remoteAddress?.ipAddress ?? "unknown"
        client = ClientInfo(ip: address, userAgent: "")
        principal = nil
    }
}

/// The context of routes that need a signed-in caller: `account` is not optional, so a handler
/// cannot forget to check. Building it fails with 401 when no valid token came with the request.
public struct AuthenticatedContext: AppContextProtocol, ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var client: ClientInfo
    public var principal: Principal?
    public let caller: Principal

    public init(context: AppRequestContext) throws {
        guard let principal = context.principal else { throw AppError.unauthenticated() }
        coreContext = context.coreContext
        client = context.client
        self.principal = principal
        caller = principal
    }

    /// Fails with 403 unless the caller holds at least `role`.
    public func require(_ role: Role) throws {
        guard caller.role >= role else { throw AppError.forbidden("This needs the \(role.rawValue) role.") }
    }
}
