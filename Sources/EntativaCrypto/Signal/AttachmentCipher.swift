import Crypto
import Foundation

/// Attachments as Signal encrypts them: a fresh 64-byte key per file (32 for AES-256-CBC, 32
/// for HMAC-SHA256), the plaintext padded with zeros to a size bucket so the ciphertext's length
/// says little, then IV ‖ ciphertext ‖ HMAC(IV ‖ ciphertext). The SHA-256 digest of all of it
/// travels with the key inside the message, so a recipient knows the server handed over exactly
/// what the sender uploaded.
public enum AttachmentCipher {
    public struct Sealed: Sendable, Equatable {
        /// What to upload.
        public var ciphertext: [UInt8]
        /// The AES key and then the HMAC key: for the message only.
        public var keys: [UInt8]
        public var digest: [UInt8]
        /// The plaintext's length before padding.
        public var size: Int
    }

    public enum Failure: Error, Equatable {
        case tooLarge
        case malformed
        case digestMismatch
        case badMAC
    }

    public static let maxPlaintextBytes = 100 << 20
    static let ivLength = 16
    static let macLength = 32

    public static func encrypt(_ plaintext: [UInt8]) throws -> Sealed {
        guard plaintext.count <= maxPlaintextBytes else { throw Failure.tooLarge }
        let keys = XEdDSA.randomBytes(64)
        let iv = XEdDSA.randomBytes(ivLength)
        let padded = plaintext + [UInt8](repeating: 0, count: paddedSize(plaintext.count) - plaintext.count)
        let encrypted = try AES._CBC.encrypt(padded, using: SymmetricKey(data: keys[0..<32]), iv: AES._CBC.IV(ivBytes: iv))
        let body = iv + Array(encrypted)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: keys[32..<64])))
        let ciphertext = body + mac
        return Sealed(ciphertext: ciphertext, keys: keys, digest: Array(SHA256.hash(data: ciphertext)), size: plaintext.count)
    }

    /// The plaintext, once the digest and then the MAC match; `size` cuts the padding off.
    public static func decrypt(_ ciphertext: [UInt8], keys: [UInt8], digest: [UInt8], size: Int) throws -> [UInt8] {
        guard keys.count == 64, digest.count == 32, (0...maxPlaintextBytes).contains(size),
            ciphertext.count >= ivLength + 16 + macLength, (ciphertext.count - ivLength - macLength) % 16 == 0
        else { throw Failure.malformed }
        guard ConstantTime.equal(Array(SHA256.hash(data: ciphertext)), digest) else { throw Failure.digestMismatch }
        let body = Array(ciphertext.dropLast(macLength))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: keys[32..<64])))
        guard ConstantTime.equal(mac, Array(ciphertext.suffix(macLength))) else { throw Failure.badMAC }
        guard
            let padded = try? AES._CBC.decrypt(
                body.dropFirst(ivLength), using: SymmetricKey(data: keys[0..<32]), iv: AES._CBC.IV(ivBytes: body.prefix(ivLength))),
            padded.count >= size
        else { throw Failure.malformed }
        return Array(padded.prefix(size))
    }

    /// Signal's buckets: sizes grow by 5 % steps from 541 bytes, so a file's length shows only
    /// to within 5 %.
    static func paddedSize(_ size: Int) -> Int {
        let bucket = Int(pow(1.05, ceil(log(Double(max(size, 1))) / log(1.05))).rounded(.down))
        return max(541, max(bucket, size))
    }
}
