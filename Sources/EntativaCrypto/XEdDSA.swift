import Crypto
import Foundation

/// XEdDSA (Signal's specification, as libsignal computes it): Ed25519-style signatures made
/// and checked with X25519 keys, so one identity key both agrees secrets and signs prekeys.
/// libsignal keeps the Edwards sign bit of the signer's key in the signature's top bit, so any
/// clamped X25519 private key signs as it is.
public enum XEdDSA {
    public static let signatureLength = 64

    /// Signs `message` with a 32-byte X25519 private key. `random` is 64 fresh random bytes
    /// (the default); tests pass fixed ones to get fixed signatures.
    public static func sign(_ message: some DataProtocol, privateKey: some DataProtocol, random: [UInt8]? = nil) -> [UInt8] {
        let scalar = X25519Keys.clamp(Array(privateKey))
        let publicPoint = EdwardsPoint.base.multiplied(by: scalar)
        let publicKey = publicPoint.encoded
        let signBit = publicKey[31] & 0x80
        let noise = random ?? randomBytes(64)
        precondition(noise.count == 64, "XEdDSA takes 64 random bytes")

        // r = hash1(a ‖ M ‖ Z): hash1 prefixes 0xFE and thirty-one 0xFF, per the specification.
        var nonceHash = SHA512()
        nonceHash.update(data: [0xFE] + [UInt8](repeating: 0xFF, count: 31))
        nonceHash.update(data: scalar)
        nonceHash.update(data: Array(message))
        nonceHash.update(data: noise)
        let r = Scalar25519.reduce(Array(nonceHash.finalize()))
        let commitment = EdwardsPoint.base.multiplied(by: r).encoded

        var challengeHash = SHA512()
        challengeHash.update(data: commitment)
        challengeHash.update(data: publicKey)
        challengeHash.update(data: Array(message))
        let h = Scalar25519.reduce(Array(challengeHash.finalize()))
        var s = Scalar25519.multiplyAdd(h, Scalar25519.reduce(scalar), plus: r)
        s[31] |= signBit
        return commitment + s
    }

    /// Checks a signature by the holder of the 32-byte X25519 public key `publicKey`.
    public static func verify(_ signature: some DataProtocol, for message: some DataProtocol, publicKey: some DataProtocol) -> Bool {
        var signature = Array(signature)
        let u = Array(publicKey)
        guard signature.count == signatureLength, u.count == 32 else { return false }
        let signBit = signature[63] & 0x80
        signature[63] &= 0x7F
        // s must be canonical (libsignal refuses the rest), which also bounds its top bits.
        guard Scalar25519.isCanonical(Array(signature[32...])) else { return false }
        guard var edwards = X25519Keys.edwardsY(fromMontgomery: u) else { return false }
        edwards[31] |= signBit
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: edwards) else { return false }
        return key.isValidSignature(signature, for: Array(message))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// X25519 key pairs as libsignal keeps them: the private key clamped, the public key the
/// Montgomery u coordinate.
public enum X25519Keys {
    /// A new private key, clamped.
    public static func generatePrivateKey() -> [UInt8] {
        clamp(Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation))
    }

    public static func publicKey(of privateKey: some DataProtocol) throws -> [UInt8] {
        Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: clamp(Array(privateKey))).publicKey.rawRepresentation)
    }

    /// The Diffie–Hellman shared secret of a private and a public key.
    public static func agreement(privateKey: some DataProtocol, publicKey: some DataProtocol) throws -> [UInt8] {
        let mine = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: clamp(Array(privateKey)))
        let theirs = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: Array(publicKey))
        return try mine.sharedSecretFromKeyAgreement(with: theirs).withUnsafeBytes { Array($0) }
    }

    /// RFC 7748's clamping: a multiple of the cofactor, with bit 254 set.
    public static func clamp(_ key: [UInt8]) -> [UInt8] {
        precondition(key.count == 32, "an X25519 private key is 32 bytes")
        var clamped = key
        clamped[0] &= 248
        clamped[31] &= 127
        clamped[31] |= 64
        return clamped
    }

    /// y = (u − 1)/(u + 1), the birational map to edwards25519, as 32 bytes with the sign bit
    /// clear; nil for u = −1, which has no image.
    static func edwardsY(fromMontgomery u: [UInt8]) -> [UInt8]? {
        let montgomery = FieldElement(bytes: u)
        let denominator = montgomery + .one
        guard !denominator.isZero else { return nil }
        return ((montgomery - .one) * denominator.inverted).bytes
    }
}
