import Crypto
import EntativaCore
import Foundation

/// Opaque bearer secrets (refresh tokens, email and reset links, recovery codes): random,
/// shown once, stored only as a SHA-256 digest, so a database leak reveals none of them.
public enum SecretToken {
    public static func generate(bytes: Int = 32) -> String {
        let random = (0..<bytes).map { _ in UInt8.random(in: .min ... .max) }
        return Data(random).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `xxxxx-xxxxx` in lower-case base32: 50 bits, easy to type from paper.
    public static func recoveryCode() -> String {
        let text = Base32.encode((0..<7).map { _ in UInt8.random(in: .min ... .max) }).lowercased()
        return String(text.prefix(5)) + "-" + String(text.dropFirst(5).prefix(5))
    }

    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).lowercaseHex
    }
}
