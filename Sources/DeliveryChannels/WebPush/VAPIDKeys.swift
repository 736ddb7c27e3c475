import Crypto
import Foundation

/// The application server's VAPID identity (RFC 8292): one P-256 key the server keeps for good,
/// because every browser subscription is bound to its public half.
public struct VAPIDKeys: Sendable {
    public let privateKey: P256.Signing.PrivateKey

    /// Generates a new key pair.
    public init() {
        self.privateKey = P256.Signing.PrivateKey()
    }

    public init(privateKey: P256.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    /// Restores a key from its 32-byte private scalar.
    public init(rawRepresentation: Data) throws {
        self.privateKey = try P256.Signing.PrivateKey(rawRepresentation: rawRepresentation)
    }

    /// Restores a key stored with `base64URL`.
    public init(base64URL: String) throws {
        guard let raw = Base64URL.decode(base64URL) else {
            throw WebPushError.invalidKey("VAPID private key is not base64url")
        }
        try self.init(rawRepresentation: raw)
    }

    /// The 32-byte private scalar, for storage.
    public var rawRepresentation: Data { privateKey.rawRepresentation }

    /// The private scalar as unpadded base64url, for storage as text.
    public var base64URL: String { Base64URL.encode(rawRepresentation) }

    /// The uncompressed public point (65 bytes, 0x04 | X | Y).
    public var publicKeyRaw: Data { privateKey.publicKey.x963Representation }

    /// What browsers take as `applicationServerKey` and what the `k=` parameter carries.
    public var publicKeyBase64URL: String { Base64URL.encode(publicKeyRaw) }
}
