import Crypto
import Foundation

/// An X25519 key pair as a Signal session keeps it.
public struct SignalKeyPair: Codable, Sendable, Equatable {
    public var privateKey: [UInt8]
    public var publicKey: [UInt8]

    public init(privateKey: [UInt8]) throws {
        self.privateKey = X25519Keys.clamp(privateKey)
        publicKey = try X25519Keys.publicKey(of: privateKey)
    }

    /// A pair kept together before (a device's stored keys), without deriving the public key again.
    public init(storedPrivateKey privateKey: [UInt8], publicKey: [UInt8]) {
        self.privateKey = X25519Keys.clamp(privateKey)
        self.publicKey = publicKey
    }

    public static func generate() throws -> SignalKeyPair { try SignalKeyPair(privateKey: X25519Keys.generatePrivateKey()) }
}

/// libsignal's serialized public key: the type byte 0x05, then the 32-byte X25519 key.
enum SerializedKey {
    static let type: UInt8 = 0x05

    static func serialize(_ key: [UInt8]) -> [UInt8] { [type] + key }

    static func parse(_ bytes: [UInt8]) throws -> [UInt8] {
        guard bytes.count == 33, bytes[0] == type else { throw SignalError.invalidKey }
        return Array(bytes[1...])
    }
}

public enum SignalError: Error, Equatable, Sendable {
    case invalidKey
    case invalidSignature
    case malformedMessage
    case unsupportedVersion
    case badMAC
    case duplicateMessage
    case tooFarAhead
    case noSession
    case unknownPreKey
    case untrustedIdentity
}

/// The key derivations of libsignal's version-3 sessions.
enum SignalKDF {
    static func hkdf(_ input: [UInt8], salt: [UInt8], info: String, count: Int) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: input), salt: salt, info: Array(info.utf8), outputByteCount: count)
        return key.withUnsafeBytes { Array($0) }
    }

    static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// X3DH's output: the first root key and chain key ("WhisperText", no salt).
    static func initialKeys(_ secrets: [UInt8]) -> (root: [UInt8], chain: [UInt8]) {
        let derived = hkdf(secrets, salt: [UInt8](repeating: 0, count: 32), info: "WhisperText", count: 64)
        return (Array(derived[0..<32]), Array(derived[32..<64]))
    }

    /// A ratchet step: the root key salts the new Diffie–Hellman secret ("WhisperRatchet").
    static func ratchet(root: [UInt8], theirs: [UInt8], ours: [UInt8]) throws -> (root: [UInt8], chain: [UInt8]) {
        let shared = try X25519Keys.agreement(privateKey: ours, publicKey: theirs)
        let derived = hkdf(shared, salt: root, info: "WhisperRatchet", count: 64)
        return (Array(derived[0..<32]), Array(derived[32..<64]))
    }

    struct MessageKeys: Codable, Sendable, Equatable {
        var cipherKey: [UInt8]
        var macKey: [UInt8]
        var iv: [UInt8]
        var counter: UInt32
    }

    /// The message keys of a chain key at `counter` ("WhisperMessageKeys" over HMAC(chain, 0x01)).
    static func messageKeys(chain: [UInt8], counter: UInt32) -> MessageKeys {
        let seed = hmac(chain, [0x01])
        let derived = hkdf(seed, salt: [UInt8](repeating: 0, count: 32), info: "WhisperMessageKeys", count: 80)
        return MessageKeys(cipherKey: Array(derived[0..<32]), macKey: Array(derived[32..<64]), iv: Array(derived[64..<80]), counter: counter)
    }

    static func nextChain(_ chain: [UInt8]) -> [UInt8] { hmac(chain, [0x02]) }
}
