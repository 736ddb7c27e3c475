import Crypto
import Foundation
import JWTKit

/// Builds `Authorization: vapid t=…, k=…` (RFC 8292 §2–3) and reuses each push service's token.
///
/// One token per push-service origin, signed for 12 hours and used for 1; re-signing for every
/// message would cost a signature per push for nothing.
actor VAPIDAuthorizer {
    static let lifetime: TimeInterval = 12 * 3600
    static let reuseFor: TimeInterval = 3600
    /// Bounds the cache; there are only a handful of push services in practice.
    static let maximumOrigins = 64

    private struct Claims: JWTPayload {
        var aud: String
        var exp: Int
        var sub: String

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private let keys: VAPIDKeys
    private let contact: String
    private let now: @Sendable () -> Date
    private var issued: [String: (header: String, refreshAt: Date)] = [:]

    init(keys: VAPIDKeys, contact: String, now: @escaping @Sendable () -> Date) {
        self.keys = keys
        self.contact = contact
        self.now = now
    }

    func authorization(for audience: String) async throws -> String {
        let now = now()
        if let cached = issued[audience], cached.refreshAt > now {
            return cached.header
        }
        let claims = Claims(
            aud: audience,
            exp: Int(now.timeIntervalSince1970 + Self.lifetime),
            sub: contact
        )
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: try ES256PrivateKey(backing: keys.privateKey))
        let token = try await collection.sign(claims)
        let header = "vapid t=\(token), k=\(keys.publicKeyBase64URL)"
        if issued.count >= Self.maximumOrigins { issued.removeAll() }
        issued[audience] = (header, now.addingTimeInterval(Self.reuseFor))
        return header
    }

    /// The JWT audience: the endpoint's origin (scheme, host, and port when not the default).
    static func audience(of endpoint: URL) -> String? {
        guard let components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty
        else { return nil }
        let hostPart = host.contains(":") ? "[\(host)]" : host.lowercased()
        if let port = components.port, !(scheme == "https" && port == 443) {
            return "\(scheme)://\(hostPart):\(port)"
        }
        return "\(scheme)://\(hostPart)"
    }
}
