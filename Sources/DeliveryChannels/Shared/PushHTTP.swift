import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A provider's answer, body read in full (providers answer with at most a small JSON error).
struct PushHTTPResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var version: HTTPVersion
    var body: Data

    var bodyText: String { String(decoding: body.prefix(1024), as: UTF8.self) }

    func retryAfter(now: Date) -> Duration? {
        RetryAfter.parse(headers.first(name: "retry-after"), now: now)
    }
}

enum PushHTTP {
    /// Largest response body read; anything longer is not a provider's answer.
    static let maximumResponseBytes = 64 * 1024

    static func execute(
        _ request: HTTPClientRequest,
        on client: HTTPClient,
        timeout: Duration = .seconds(30)
    ) async throws -> PushHTTPResponse {
        let response = try await client.execute(request, timeout: TimeAmount(timeout))
        let body = try await response.body.collect(upTo: maximumResponseBytes)
        return PushHTTPResponse(
            status: response.status,
            headers: response.headers,
            version: response.version,
            body: Data(buffer: body)
        )
    }

    /// Network failures never reached the provider's decision, so they are always retryable.
    static func networkFailure(_ error: any Error) -> PushDeliveryResult {
        if error is CancellationError {
            return .retryLater(reason: "cancelled", retryAfter: nil)
        }
        return .retryLater(reason: "network: \(error)", retryAfter: nil)
    }
}
