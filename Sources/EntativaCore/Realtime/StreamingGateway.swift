import EntativaModels
import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// `/api/v1/streaming`: the one WebSocket of the API. A client authenticates with its access
/// token (the `Authorization` header, or `access_token` in the query for browsers, which cannot
/// set headers on a WebSocket) and may pass `last_event_id` to resume. Requests that are not a
/// valid upgrade fall through to the HTTP route of the same path, which answers a problem.
public struct StreamingGateway: Sendable {
    public static let path = "/api/v1/streaming"
    public typealias InboundHandler = @Sendable (_ account: AccountID, _ payloadJSON: String) async throws -> Void

    let hub: RealtimeHub
    let verifier: any AccessTokenVerifier
    let handlers: InboundRegistry
    let sessionCheckInterval: Duration
    let limiter: RequestRateLimiter
    let refusals: UpgradeRefusals

    public init(
        hub: RealtimeHub, verifier: any AccessTokenVerifier, inbound: InboundRegistry, limiter: RequestRateLimiter, refusals: UpgradeRefusals,
        sessionCheckInterval: Duration = .seconds(30)
    ) {
        self.hub = hub
        self.verifier = verifier
        self.handlers = inbound
        self.limiter = limiter
        self.refusals = refusals
        self.sessionCheckInterval = sessionCheckInterval
    }

    public func shouldUpgrade(_ request: HTTPRequest, channel: any Channel) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        switch await admit(request) {
        case .success(let (principal, lastEventID)):
            return .upgrade([:]) { inbound, outbound, context in
                try await serve(principal, resumingAfter: lastEventID, inbound: inbound, outbound: outbound, logger: context.logger)
            }
        case .failure(let refusal):
            refusals.refuse(channel, with: refusal)
            return .dontUpgrade
        }
    }

    /// Who may open this socket, and from where it resumes; or the problem that says why not.
    /// Upgrades draw on the same request budget as every other request of the session, so a
    /// client can't open sockets faster than it may make requests.
    func admit(_ request: HTTPRequest) async -> Result<(Principal, Int64?), AppError> {
        guard let target = request.path, let url = URLComponents(string: target), url.path == Self.path else {
            return .failure(.notFound("route"))
        }
        let query = url.queryItems ?? []
        guard let token = Self.token(in: request, query: query) else { return .failure(.unauthenticated()) }
        let principal: Principal
        do {
            principal = try await verifier.principal(forAccessToken: token)
        } catch let error as AppError {
            return .failure(error)
        } catch {
            return .failure(.unauthenticated())
        }
        if let wait = limiter.take("session:\(principal.sessionID)") { return .failure(.rateLimited(retryAfter: wait)) }
        var lastEventID: Int64?
        if let text = query.first(where: { $0.name == "last_event_id" })?.value {
            guard let parsed = OutsideInteger.parse(text, in: OutsideInteger.positive) else {
                return .failure(.invalid(field: "last_event_id", code: "invalid", message: "must be an event ID"))
            }
            lastEventID = parsed
        }
        return .success((principal, lastEventID))
    }

    static func token(in request: HTTPRequest, query: [URLQueryItem]) -> String? {
        if let header = request.headerFields[.authorization] { return Principal.bearerToken(in: header) }
        return query.first { $0.name == "access_token" }?.value
    }

    func serve(
        _ principal: Principal, resumingAfter lastEventID: Int64?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger
    ) async throws {
        let account = principal.accountID
        // Live events queue up from here on, so none falls between the backlog and the stream.
        let connection = hub.connect(account)
        defer { hub.disconnect(connection) }
        var replayed = Set<Int64>()
        var ready = ReadyPayload(resumed: 0, complete: true)
        if let lastEventID {
            let backlog = try await hub.backlog(for: account, after: lastEventID)
            ready = ReadyPayload(resumed: backlog.events.count, complete: backlog.complete)
            for event in backlog.events {
                replayed.insert(event.id)
                try await outbound.write(.text(event.wireText))
            }
        }
        try await outbound.write(.text(RealtimeEvent.control(type: "ready", payloadJSON: ready.json)))
        let alreadySent = replayed
        // Whichever ends first ends the socket: the client left, fell behind, or the hub let it go.
        // A client that fell behind gets no close frame, as writing one would wait on its full
        // socket again; it resumes from its last event ID.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await item in connection.stream {
                    switch item {
                    case .event(let event):
                        if alreadySent.contains(event.id) { continue }
                        try await outbound.write(.text(event.wireText))
                    case .control(let text):
                        try await outbound.write(.text(text))
                    }
                }
            }
            group.addTask { try await receive(from: inbound, for: connection) }
            // Ends when the client fell behind, or when the hub dropped the connection.
            group.addTask { for await _ in connection.overflow {} }
            // A socket outlives its access token; it lasts only while the session does (sign-out,
            // revocation, suspension end it within one interval).
            let verifier = self.verifier
            let interval = sessionCheckInterval
            group.addTask {
                while await verifier.stillActive(principal) {
                    try await Task.sleep(for: interval)
                }
            }
            try await group.next()
            group.cancelAll()
        }
        if connection.wasEvicted {
            try? await outbound.close(.unknown(RealtimeConnection.tooManyCode), reason: "too many connections for this account")
        }
    }

    private func receive(from inbound: WebSocketInboundStream, for connection: RealtimeConnection) async throws {
        for try await message in inbound.messages(maxSize: 64 * 1024) {
            guard case .text(let text) = message, let frame = ClientFrame.parse(text) else {
                connection.send(control: RealtimeEvent.control(type: "error", payloadJSON: #"{"code":"malformed","message":"Send JSON {\"type\": …, \"payload\": …}."}"#))
                continue
            }
            if frame.type == "ping" {
                connection.send(control: RealtimeEvent.control(type: "pong", payloadJSON: frame.payloadJSON))
            } else if let handler = handlers.handler(for: frame.type) {
                do {
                    try await handler(connection.accountID, frame.payloadJSON)
                } catch let error as AppError {
                    connection.send(control: RealtimeEvent.control(type: "error", payloadJSON: ErrorPayload(code: "rejected", message: error.detail ?? error.title).json))
                } catch {
                    connection.send(control: RealtimeEvent.control(type: "error", payloadJSON: ErrorPayload(code: "rejected", message: "The server could not handle this message.").json))
                }
            } else {
                connection.send(control: RealtimeEvent.control(type: "error", payloadJSON: ErrorPayload(code: "unknown_type", message: "No message type \(frame.type).").json))
            }
        }
    }
}

/// Handlers for what clients send over the socket (typing, presence …), registered by domains.
public final class InboundRegistry: Sendable {
    private let handlers = Mutex<[String: StreamingGateway.InboundHandler]>([:])

    public init() {}

    public func on(_ type: String, _ handler: @escaping StreamingGateway.InboundHandler) {
        handlers.withLock { $0[type] = handler }
    }

    func handler(for type: String) -> StreamingGateway.InboundHandler? { handlers.withLock { $0[type] } }
}

struct ClientFrame {
    var type: String
    var payloadJSON: String

    static func parse(_ text: String) -> ClientFrame? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let type = object["type"] as? String else {
            return nil
        }
        let payload = object["payload"].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) }
        return ClientFrame(type: type, payloadJSON: payload.map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    }
}

private struct ReadyPayload: Encodable {
    var resumed: Int
    var complete: Bool
    var json: String { String(decoding: (try? EntativaJSON.encoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}

private struct ErrorPayload: Encodable {
    var code: String
    var message: String
    var json: String { String(decoding: (try? EntativaJSON.encoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}
