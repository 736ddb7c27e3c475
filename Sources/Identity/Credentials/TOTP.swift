import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA-1,
/// six digits, 30-second steps.
public struct TOTP: Sendable {
    public static let digits = 6
    public static let period: Int64 = 30
    let secret: [UInt8]

    public init(secret: [UInt8]) { self.secret = secret }

    public static func generateSecret() -> [UInt8] {
        (0..<20).map { _ in UInt8.random(in: .min ... .max) }
    }

    public static func step(at date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down)) / period
    }

    public func code(atStep step: Int64) -> String {
        var counter = UInt64(step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let code = value % 1_000_000
        let text = String(code)
        return String(repeating: "0", count: Self.digits - text.count) + text
    }

    /// The step whose code equals `code` within one step either side of `date`, if any.
    public func matchingStep(for code: String, at date: Date) -> Int64? {
        let current = Self.step(at: date)
        let given = Array(code.utf8)
        for step in [current - 1, current, current + 1] {
            let expected = Array(self.code(atStep: step).utf8)
            if expected.count == given.count, zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 {
                return step
            }
        }
        return nil
    }

    public func provisioningURI(account: String, issuer: String) -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? account
        let issuerQuery = issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerQuery)&algorithm=SHA1&digits=6&period=30"
    }
}

/// RFC 4648 base32 without padding, the alphabet authenticator apps read.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased().utf8 where character != UInt8(ascii: "=") {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(index)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return output
    }
}
