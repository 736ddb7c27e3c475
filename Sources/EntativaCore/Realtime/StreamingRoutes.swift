import EntativaModels
import Hummingbird

/// The HTTP face of `/api/v1/streaming`: it documents the endpoint and answers every request the
/// WebSocket upgrade turned down, with the reason as a problem.
public struct StreamingRoutes: Sendable {
    let verifier: any AccessTokenVerifier

    public init(verifier: any AccessTokenVerifier) { self.verifier = verifier }

    public func register<Context: AppContextProtocol>(on routes: APIRoutes<Context>) {
        routes.add(
            .get, StreamingGateway.path,
            APIOperation(
                "streaming", "Open the realtime WebSocket", tag: "realtime", access: .anyone, status: 101, errors: [422, 426],
                query: [
                    QueryParameter("access_token", Schema.string(minLength: 1, maxLength: 4096), description: "For clients that cannot set headers on a WebSocket"),
                    QueryParameter("last_event_id", Schema.string(pattern: "^[0-9]{1,19}$"), description: "Resume after this event"),
                ],
                description: """
                    Upgrades to a WebSocket that carries `{"id", "type", "payload"}` JSON events for the signed-in \
                    account. See docs/realtime.md for the event types, resuming, keep-alive and the send-queue limit. \
                    A request that is not a WebSocket upgrade is answered 426.
                    """)
        ) { request, context -> Response in
            if context.principal == nil {
                guard let token = request.uri.queryParameters.get("access_token") else { throw AppError.unauthenticated() }
                _ = try await verifier.principal(forAccessToken: token)
            }
            if let last = request.uri.queryParameters.get("last_event_id"), OutsideInteger.parse(last, in: OutsideInteger.positive) == nil {
                throw AppError.invalid(field: "last_event_id", code: "invalid", message: "must be an event ID")
            }
            throw AppError(status: 426, code: "upgrade-required", title: "Upgrade Required", detail: "Open this URL as a WebSocket.")
        }
    }
}
