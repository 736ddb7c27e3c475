import Crypto
import EntativaCore
import Foundation

/// The server's Web Push (VAPID, RFC 8292) key pair: made once, kept in the database with the
/// other server secrets, so every instance signs with the same key and subscriptions survive
/// restarts.
public struct VAPIDKey: Sendable {
    public let privateKey: P256.Signing.PrivateKey

    static func load(database: AppDatabase, clock: any WallClock) async throws -> VAPIDKey {
        let secret = try await ServerSecrets.value(named: "vapid-p256", database: database, clock: clock)
        let key = try secret.withUnsafeBytes { try P256.Signing.PrivateKey(rawRepresentation: Data($0)) }
        return VAPIDKey(privateKey: key)
    }

    /// The uncompressed public point, base64url without padding: a client's `applicationServerKey`.
    public var publicKeyBase64URL: String { privateKey.publicKey.x963Representation.base64URLEncodedString() }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
