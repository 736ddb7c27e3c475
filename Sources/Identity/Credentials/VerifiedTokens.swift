import Crypto
import Foundation
import Synchronization

/// Claims of tokens whose signature was already checked, keyed by the token's SHA-256 digest
/// (never the token itself). An Ed25519 check was a fifth of an authenticated read; whether a
/// byte string carries a valid signature of the one signing key never changes, so a token is
/// checked once and its claims reused until it expires. Everything else (audience, issuer,
/// expiry against the clock, the session's standing) is still decided on every request.
final class VerifiedTokens<Claims: Sendable>: Sendable {
    private struct Entry {
        var claims: Claims
        var expires: Date
    }

    private let entries = Mutex<[SHA256.Digest: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    static func key(_ token: String) -> SHA256.Digest { SHA256.hash(data: Data(token.utf8)) }

    func claims(for key: SHA256.Digest) -> Claims? {
        entries.withLock { $0[key]?.claims }
    }

    func remember(_ claims: Claims, for key: SHA256.Digest, expires: Date, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity, let victim = entries.keys.first { entries[victim] = nil }
            }
            entries[key] = Entry(claims: claims, expires: expires)
        }
    }
}
