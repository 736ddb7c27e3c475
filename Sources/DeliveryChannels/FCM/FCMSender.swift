import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import NIOFoundationCompat

/// Sends notifications through Firebase Cloud Messaging's HTTP v1 API with service-account OAuth2.
///
/// Make one per process and share it: each instance caches its own access token.
public struct FCMSender: Sendable {
    public let configuration: FCMConfiguration
    private let projectID: String
    private let client: HTTPClient
    private let tokens: FCMAccessTokenProvider
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// - Parameter httpClient: build it with `ChannelTLS.makeHTTPClient(trustedCAFile:)`.
    public init(
        configuration: FCMConfiguration,
        httpClient: HTTPClient,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "entativa.fcm")
    ) throws {
        let account: FCMServiceAccount
        do {
            account = try JSONDecoder().decode(FCMServiceAccount.self, from: Data(configuration.serviceAccountJSON.utf8))
        } catch {
            throw FCMError.invalidServiceAccount("unreadable service-account JSON: \(error)")
        }
        let key: Insecure.RSA.PrivateKey
        do {
            key = try Insecure.RSA.PrivateKey(pem: account.privateKey)
        } catch {
            throw FCMError.invalidServiceAccount("private_key is not an RSA private key: \(error)")
        }
        self.configuration = configuration
        self.projectID = account.projectID
        self.client = httpClient
        self.tokens = FCMAccessTokenProvider(account: account, key: key, client: httpClient, cache: TokenCache(now: now), now: now)
        self.now = now
        self.logger = logger
    }

    /// Sends `message` to one registration token.
    public func send(_ message: PushMessage, toToken registrationToken: String) async -> PushDeliveryResult {
        guard !registrationToken.isEmpty, registrationToken.utf8.count <= 4096 else {
            return .invalidToken(reason: "empty or oversized registration token")
        }
        let body: Data
        do {
            body = try JSONEncoder().encode(FCMRequestBody(message, token: registrationToken))
        } catch {
            return .rejected(reason: "cannot encode message: \(error)")
        }
        // Google may revoke an access token early; a 401 gets one fresh token and one retry.
        var attempt = await post(body)
        if case .unauthorized = attempt {
            attempt = await post(body)
        }
        switch attempt {
        case .finished(let result): return result
        case .unauthorized(let reason): return .rejected(reason: reason)
        }
    }

    private enum Attempt {
        case finished(PushDeliveryResult)
        /// FCM refused the access token, which is now dropped from the cache.
        case unauthorized(String)
    }

    private func post(_ body: Data) async -> Attempt {
        let accessToken: String
        do {
            accessToken = try await tokens.accessToken()
        } catch FCMAccessTokenProvider.Failure.transient(let reason, let retryAfter) {
            return .finished(.retryLater(reason: reason, retryAfter: retryAfter))
        } catch FCMAccessTokenProvider.Failure.permanent(let reason) {
            return .finished(.rejected(reason: reason))
        } catch {
            return .finished(.rejected(reason: "cannot obtain access token: \(error)"))
        }

        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        var request = HTTPClientRequest(url: "\(base)/v1/projects/\(projectID)/messages:send")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        request.headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
        request.body = .bytes(ByteBuffer(data: body))

        let response: PushHTTPResponse
        do {
            response = try await PushHTTP.execute(request, on: client)
        } catch {
            return .finished(PushHTTP.networkFailure(error))
        }
        let error = FCMErrorBody.parse(response.body)
        let reason = error?.summary ?? "status \(response.status.code)"
        switch response.status.code {
        case 200:
            return .finished(.delivered)
        case 401:
            await tokens.invalidate(accessToken)
            logger.warning("FCM refused the access token", metadata: ["reason": "\(reason)"])
            return .unauthorized(reason)
        case 429, 500..<600:
            return .finished(.retryLater(reason: reason, retryAfter: response.retryAfter(now: now())))
        default:
            if let error, error.meansTokenIsDead(status: response.status.code) {
                return .finished(.invalidToken(reason: reason))
            }
            return .finished(.rejected(reason: reason))
        }
    }
}

/// Google's error envelope: `{"error":{"code","message","status","details":[…]}}`.
struct FCMErrorBody: Decodable {
    struct Detail: Decodable {
        struct FieldViolation: Decodable {
            var field: String?
        }

        var errorCode: String?
        var fieldViolations: [FieldViolation]?
    }

    struct Body: Decodable {
        var message: String?
        var status: String?
        var details: [Detail]?
    }

    var error: Body

    static func parse(_ data: Data) -> FCMErrorBody? {
        try? JSONDecoder().decode(FCMErrorBody.self, from: data)
    }

    var errorCodes: [String] { (error.details ?? []).compactMap(\.errorCode) }

    var summary: String {
        [error.status, errorCodes.first, error.message].compactMap { $0 }.joined(separator: ": ")
    }

    /// UNREGISTERED (404), a 400 INVALID_ARGUMENT about the token itself, or a token that
    /// belongs to another sender: the registration token will never work again.
    func meansTokenIsDead(status: UInt) -> Bool {
        if errorCodes.contains("UNREGISTERED") || errorCodes.contains("SENDER_ID_MISMATCH") { return true }
        if status == 404, error.status == "NOT_FOUND" { return true }
        guard status == 400, error.status == "INVALID_ARGUMENT" else { return false }
        let fields = (error.details ?? []).flatMap { $0.fieldViolations ?? [] }.compactMap(\.field)
        if fields.contains("message.token") { return true }
        return error.message?.lowercased().contains("registration token") ?? false
    }
}
