import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// Posts encrypted messages to browsers' push services (RFC 8030) with VAPID identification.
public struct WebPushSender: Sendable {
    private let client: HTTPClient
    /// When set, each endpoint gets a client pinned to a checked address instead of `client`.
    private let pinned: PinnedHTTPClients?
    private let authorizer: VAPIDAuthorizer
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// - Parameter contact: a `mailto:` or `https:` URI the push service can reach the operator at.
    public init(
        httpClient: HTTPClient,
        vapidKeys: VAPIDKeys,
        contact: String,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "entativa.webpush"),
        pinned: PinnedHTTPClients? = nil
    ) throws {
        guard contact.hasPrefix("mailto:") || contact.hasPrefix("https:") else {
            throw WebPushError.invalidContact(contact)
        }
        self.client = httpClient
        self.pinned = pinned
        self.authorizer = VAPIDAuthorizer(keys: vapidKeys, contact: contact, now: now)
        self.now = now
        self.logger = logger
    }

    /// Sends `message` as the JSON the service worker reads:
    /// `{"title","body","data","tag"?}`; the collapse key becomes the tag and the Topic.
    public func send(_ message: PushMessage, to subscription: WebPushSubscription) async -> PushDeliveryResult {
        var json: [String: WebPushJSONValue] = [
            "title": .string(message.title),
            "body": .string(message.body),
            "data": .object(message.data),
        ]
        if let collapseKey = message.collapseKey { json["tag"] = .string(collapseKey) }
        if let badge = message.badge { json["badge"] = .number(badge) }
        let options = WebPushOptions(
            timeToLive: message.timeToLiveSeconds,
            urgency: message.isSilent ? .low : .high,
            topic: message.collapseKey.map(Self.topic(for:))
        )
        do {
            let payload = try JSONEncoder().encode(json)
            return await send(payload, to: subscription, options: options)
        } catch {
            return .rejected(reason: "cannot encode payload: \(error)")
        }
    }

    /// Encrypts `payload` for `subscription` and posts it.
    public func send(
        _ payload: Data,
        to subscription: WebPushSubscription,
        options: WebPushOptions = WebPushOptions()
    ) async -> PushDeliveryResult {
        guard let url = URL(string: subscription.endpoint), url.scheme?.lowercased() == "https",
            let audience = VAPIDAuthorizer.audience(of: url)
        else {
            return .invalidToken(reason: "subscription endpoint is not an https URL")
        }
        let body: Data
        do {
            body = try WebPushEncryption.encrypt(plaintext: payload, p256dh: subscription.p256dh, auth: subscription.auth)
        } catch WebPushError.payloadTooLarge(let size) {
            return .rejected(reason: "payload of \(size) bytes exceeds \(WebPushEncryption.maximumPlaintextSize)")
        } catch {
            // Keys that cannot encrypt will never work: the subscription is unusable.
            return .invalidToken(reason: "subscription keys unusable: \(error)")
        }

        var request = HTTPClientRequest(url: subscription.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Encoding", value: "aes128gcm")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "TTL", value: String(max(0, options.timeToLive)))
        request.headers.add(name: "Urgency", value: options.urgency.rawValue)
        if let topic = options.topic {
            request.headers.add(name: "Topic", value: topic)
        }
        request.body = .bytes(ByteBuffer(data: body))

        do {
            request.headers.add(name: "Authorization", value: try await authorizer.authorization(for: audience))
        } catch {
            return .rejected(reason: "cannot sign VAPID token: \(error)")
        }
        let client: HTTPClient
        do {
            client = try await pinned?.client(for: url) ?? self.client
        } catch let refused as PinnedHTTPClients.Refused {
            // A subscription that leads into a private network will never be delivered to.
            return .invalidToken(reason: "\(refused)")
        } catch {
            return PushHTTP.networkFailure(error)
        }
        do {
            let response = try await PushHTTP.execute(request, on: client)
            return classify(response)
        } catch {
            logger.debug("web push network failure", metadata: ["error": "\(error)"])
            return PushHTTP.networkFailure(error)
        }
    }

    private func classify(_ response: PushHTTPResponse) -> PushDeliveryResult {
        let code = response.status.code
        switch code {
        case 200..<300:
            return .delivered
        case 404, 410:
            return .invalidToken(reason: "push service answered \(code)")
        case 429, 500..<600:
            return .retryLater(reason: "push service answered \(code)", retryAfter: response.retryAfter(now: now()))
        default:
            return .rejected(reason: "push service answered \(code): \(response.bodyText)")
        }
    }

    /// A Topic must be at most 32 characters of the base64url alphabet (RFC 8030 §5.4);
    /// other keys are hashed into one, so equal keys still collapse together.
    static func topic(for collapseKey: String) -> String {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        if !collapseKey.isEmpty, collapseKey.count <= 32, collapseKey.allSatisfy(alphabet.contains) {
            return collapseKey
        }
        return String(Base64URL.encode(Data(SHA256.hash(data: Data(collapseKey.utf8)))).prefix(32))
    }
}

/// The few JSON shapes the Web Push payload needs, so it encodes without `Any`.
enum WebPushJSONValue: Encodable {
    case string(String)
    case number(Int)
    case object([String: String])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
