import Crypto
import EntativaCore
import EntativaModels
import Foundation

/// The public addresses of media files. Public media: `/media/p/<id>/<path>`. Private media:
/// `/media/s/<id>/<expires>/<signature>/<path>`, where the signature is an HMAC over the ID and
/// the expiry. The signature sits in the path rather than the query so that the relative
/// segment URIs inside an HLS playlist inherit it.
public struct MediaURLs: Sendable {
    let baseURL: String
    let key: SymmetricKey
    let clock: any WallClock
    let lifetime: Duration
    let encryptedLifetimeMillis: Int64

    public init(baseURL: String, key: SymmetricKey, clock: any WallClock, lifetime: Duration, encryptedLifetimeMillis: Int64) {
        self.baseURL = baseURL
        self.key = key
        self.clock = clock
        self.lifetime = lifetime
        self.encryptedLifetimeMillis = encryptedLifetimeMillis
    }

    func url(for id: MediaID, path: String, isPrivate: Bool) -> String {
        guard isPrivate else { return "\(baseURL)/media/p/\(id)/\(path)" }
        // Expiry rounded up to the hour: every URL of one item in one hour is the same, so caches work.
        let hour: Int64 = 3_600_000
        let expires = ((clock.nowMillis() + lifetime.milliseconds) / hour + 1) * hour / 1000
        return "\(baseURL)/media/s/\(id)/\(expires)/\(signature(id: id, expires: expires))/\(path)"
    }

    /// A signed path valid until `expiresAt` (milliseconds): an encrypted attachment's, which its
    /// recipients fetch with what the message told them, whenever they come online.
    func url(for id: MediaID, path: String, until expiresAt: Int64) -> String {
        let expires = expiresAt / 1000
        return "\(baseURL)/media/s/\(id)/\(expires)/\(signature(id: id, expires: expires))/\(path)"
    }

    func signature(id: MediaID, expires: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id):\(expires)".utf8), using: key)
        return Data(mac).prefix(20).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The expiry in a signed path, in seconds since 1970: digits only, and small enough that
    /// turning it into milliseconds cannot overflow. Anything else is no link of ours.
    static func parseExpiry(_ text: String?) -> Int64? {
        text.flatMap { OutsideInteger.parse($0, in: 0...(Int64.max / 1000)) }
    }

    /// True when `signature` is ours for `id` and has not expired.
    func verify(id: MediaID, expires: Int64, signature given: String) -> Bool {
        guard (0...(Int64.max / 1000)).contains(expires), expires * 1000 > clock.nowMillis() else { return false }
        let expected = Array(signature(id: id, expires: expires).utf8)
        let provided = Array(given.utf8)
        return expected.count == provided.count && zip(expected, provided).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
