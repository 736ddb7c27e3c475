import AsyncHTTPClient
import Crypto
import Foundation
import JWTKit
import Logging
import NIOCore
import NIOFoundationCompat

/// Sends alerts through Apple's provider API over HTTP/2 with a cached ES256 provider token.
///
/// Make one per process and share it: each instance caches its own provider token, and APNs
/// throttles keys whose tokens are refreshed too often.
public struct APNsSender: Sendable {
    /// APNs rejects tokens older than an hour and refreshes more often than every 20 minutes.
    static let tokenReuse: TimeInterval = 40 * 60

    private struct ProviderClaims: JWTPayload {
        var iss: String
        var iat: Int

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    public let configuration: APNsConfiguration
    private let client: HTTPClient
    private let signingKey: ES256PrivateKey
    private let tokens: TokenCache
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// - Parameter httpClient: build it with `ChannelTLS.makeHTTPClient(trustedCAFile:)`; it must
    ///   be allowed to negotiate HTTP/2, which APNs requires.
    public init(
        configuration: APNsConfiguration,
        httpClient: HTTPClient,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "entativa.apns")
    ) throws {
        do {
            self.signingKey = try ES256PrivateKey(pem: configuration.keyP8PEM)
        } catch {
            throw APNsError.invalidKey("keyP8PEM is not a P-256 private key: \(error)")
        }
        self.configuration = configuration
        self.client = httpClient
        self.tokens = TokenCache(now: now)
        self.now = now
        self.logger = logger
    }

    /// Sends `message` to one device; `topic` defaults to the configured bundle identifier.
    public func send(_ message: PushMessage, toDeviceToken deviceToken: String, topic: String? = nil) async -> PushDeliveryResult {
        guard Self.isWellFormed(deviceToken) else {
            return .invalidToken(reason: "device token is not hexadecimal")
        }
        let body: Data
        do {
            guard let encoded = try APNsPayload(message).encodedWithinLimit() else {
                return .rejected(reason: "payload exceeds \(APNsPayload.maximumSize) bytes")
            }
            body = encoded
        } catch {
            return .rejected(reason: "cannot encode payload: \(error)")
        }
        let request = makeRequest(message, deviceToken: deviceToken.lowercased(), topic: topic, body: body)
        // A token APNs calls expired or invalid is replaced once; a second refusal is a real one.
        var attempt = await post(request)
        if case .staleToken = attempt {
            attempt = await post(request)
        }
        switch attempt {
        case .finished(let result): return result
        case .staleToken(let reason): return .rejected(reason: reason)
        }
    }

    private enum Attempt {
        case finished(PushDeliveryResult)
        /// APNs refused the provider token, which is now dropped from the cache.
        case staleToken(String)
    }

    private func post(_ template: HTTPClientRequest) async -> Attempt {
        var request = template
        let token: String
        do {
            token = try await tokens.token { [signingKey, configuration, now] in
                let issuedAt = now()
                let collection = JWTKeyCollection()
                await collection.add(ecdsa: signingKey, kid: JWKIdentifier(string: configuration.keyID))
                let jwt = try await collection.sign(
                    ProviderClaims(iss: configuration.teamID, iat: Int(issuedAt.timeIntervalSince1970)),
                    kid: JWKIdentifier(string: configuration.keyID)
                )
                return TokenCache.Issued(token: jwt, refreshAt: issuedAt.addingTimeInterval(Self.tokenReuse))
            }
        } catch {
            return .finished(.rejected(reason: "cannot sign provider token: \(error)"))
        }
        request.headers.replaceOrAdd(name: "authorization", value: "bearer \(token)")

        let response: PushHTTPResponse
        do {
            response = try await PushHTTP.execute(request, on: client)
        } catch {
            return .finished(PushHTTP.networkFailure(error))
        }
        guard response.version.major == 2 else {
            return .finished(.rejected(reason: "APNs endpoint answered over HTTP/\(response.version.major); HTTP/2 is required"))
        }
        let reason = Self.reason(in: response.body)
        let why = reason ?? "status \(response.status.code)"
        switch (response.status.code, reason) {
        case (200, _):
            return .finished(.delivered)
        case (410, _), (400, "BadDeviceToken"), (400, "DeviceTokenNotForTopic"):
            return .finished(.invalidToken(reason: reason ?? "Unregistered"))
        case (403, "ExpiredProviderToken"), (403, "InvalidProviderToken"):
            await tokens.invalidate(token)
            logger.warning("APNs refused the provider token", metadata: ["reason": "\(why)"])
            return .staleToken(why)
        case (429, _), (500..<600, _):
            return .finished(.retryLater(reason: why, retryAfter: response.retryAfter(now: now())))
        default:
            return .finished(.rejected(reason: why))
        }
    }

    private func makeRequest(_ message: PushMessage, deviceToken: String, topic: String?, body: Data) -> HTTPClientRequest {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        var request = HTTPClientRequest(url: "\(base)/3/device/\(deviceToken)")
        request.method = .POST
        let expiration =
            message.timeToLiveSeconds == 0
            ? 0 : Int64(now().timeIntervalSince1970) + message.timeToLiveSeconds
        request.headers.add(name: "apns-topic", value: topic ?? configuration.defaultTopic)
        request.headers.add(name: "apns-push-type", value: message.isSilent ? "background" : "alert")
        request.headers.add(name: "apns-priority", value: message.isSilent ? "5" : "10")
        request.headers.add(name: "apns-expiration", value: String(expiration))
        request.headers.add(name: "apns-id", value: UUID().uuidString.lowercased())
        if let collapseKey = message.collapseKey {
            request.headers.add(name: "apns-collapse-id", value: Self.collapseID(collapseKey))
        }
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: body))
        return request
    }

    /// `apns-collapse-id` is limited to 64 bytes; a longer key becomes its SHA-256 in hex
    /// (exactly 64), so distinct keys stay distinct.
    static func collapseID(_ key: String) -> String {
        if key.utf8.count <= 64 { return key }
        return SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func isWellFormed(_ token: String) -> Bool {
        (8...200).contains(token.utf8.count) && token.utf8.count.isMultiple(of: 2) && token.allSatisfy(\.isHexDigit)
    }

    /// The `reason` of an APNs error body, if the body is one.
    static func reason(in body: Data) -> String? {
        struct ErrorBody: Decodable { var reason: String }
        return try? JSONDecoder().decode(ErrorBody.self, from: body).reason
    }
}
