import Foundation

/// A browser's push subscription (`PushSubscription.toJSON()`): where to post and how to encrypt.
public struct WebPushSubscription: Sendable, Equatable {
    public var endpoint: String
    /// The user agent's P-256 ECDH public key, 65 bytes uncompressed.
    public var p256dh: Data
    /// The 16-byte authentication secret.
    public var auth: Data

    public init(endpoint: String, p256dh: Data, auth: Data) {
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
    }

    /// From the base64url strings under `keys` in the browser's JSON.
    public init(endpoint: String, p256dhBase64URL: String, authBase64URL: String) throws {
        guard let p256dh = Base64URL.decode(p256dhBase64URL), let auth = Base64URL.decode(authBase64URL) else {
            throw WebPushError.invalidKey("subscription keys are not base64url")
        }
        self.init(endpoint: endpoint, p256dh: p256dh, auth: auth)
    }
}

/// How the push service should treat one message (RFC 8030 §5).
public struct WebPushOptions: Sendable, Equatable {
    public enum Urgency: String, Sendable {
        case veryLow = "very-low"
        case low
        case normal
        case high
    }

    /// Seconds the push service may keep the message for an offline browser.
    public var timeToLive: Int64
    public var urgency: Urgency
    /// Replaces an undelivered message with the same topic; at most 32 base64url characters.
    public var topic: String?

    public init(timeToLive: Int64 = 86_400, urgency: Urgency = .normal, topic: String? = nil) {
        self.timeToLive = timeToLive
        self.urgency = urgency
        self.topic = topic
    }
}

public enum WebPushError: Error, Sendable, Equatable {
    case invalidKey(String)
    case payloadTooLarge(Int)
    case invalidEndpoint(String)
    case invalidContact(String)
}
