import EntativaModels
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// `/health/live`, `/health/ready`, `/metrics` and `/openapi.json`: what load balancers,
/// Prometheus and API clients read without signing in.
public struct OperationalRoutes: Sendable {
    public let ready: @Sendable () async -> (ok: Bool, detail: String)
    public let metrics: PrometheusCollectorRegistry
    public let document: OpenAPIDocument

    public init(ready: @escaping @Sendable () async -> (ok: Bool, detail: String), metrics: PrometheusCollectorRegistry, document: OpenAPIDocument) {
        self.ready = ready
        self.metrics = metrics
        self.document = document
    }

    public func register<Context: AppContextProtocol>(on routes: APIRoutes<Context>) {
        routes.add(
            .get, "/health/live",
            APIOperation("healthLive", "The process is up", tag: "operations", access: .anyone, response: "Health")
        ) { _, _ in Reply(Health(status: "ok", detail: nil)) }

        routes.add(
            .get, "/health/ready",
            APIOperation(
                "healthReady", "The database answers and every migration is applied", tag: "operations",
                access: .anyone, response: "Health", errors: [503])
        ) { _, _ in
            let (ok, detail) = await ready()
            return Reply(Health(status: ok ? "ok" : "unavailable", detail: detail), status: ok ? .ok : .serviceUnavailable)
        }

        routes.add(
            .get, "/metrics",
            APIOperation(
                "metrics", "Prometheus metrics in the text exposition format", tag: "operations", access: .anyone,
                description: "Answers `text/plain; version=0.0.4`.")
        ) { _, _ in
            var bytes: [UInt8] = []
            metrics.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }

        routes.add(
            .get, "/openapi.json",
            APIOperation("openapi", "This document", tag: "operations", access: .anyone)
        ) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: try document.encoded())))
        }

        document.addSchema(
            "Health", Schema.object(["status": Schema.string(values: ["ok", "unavailable"]), "detail": Schema.string()], required: ["status"]))
    }
}

public struct Health: Codable, Sendable {
    public var status: String
    public var detail: String?
}

extension Health: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let detail { writer.key("detail"); writer.string(detail) }
        writer.key("status"); writer.string(status)
        writer.endObject()
    }
}
