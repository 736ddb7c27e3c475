import Crypto
import Foundation

/// Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188).
public enum WebPushEncryption {
    /// The record size written in the header; one record carries the whole message.
    public static let recordSize: UInt32 = 4096
    /// Push services must accept 4096-byte bodies (RFC 8291 §4): minus the 86-byte header,
    /// the 16-byte tag and the 1-byte padding delimiter.
    public static let maximumPlaintextSize = 4096 - 86 - 16 - 1

    /// Encrypts `plaintext` for the subscription's keys with a fresh salt and ephemeral key.
    public static func encrypt(plaintext: Data, p256dh: Data, auth: Data) throws -> Data {
        try encrypt(
            plaintext: plaintext,
            p256dh: p256dh,
            auth: auth,
            salt: Data((0..<16).map { _ in UInt8.random(in: .min ... .max) }),
            ephemeralKey: P256.KeyAgreement.PrivateKey()
        )
    }

    /// The deterministic form, for test vectors: the caller supplies salt and ephemeral key.
    public static func encrypt(
        plaintext: Data,
        p256dh: Data,
        auth: Data,
        salt: Data,
        ephemeralKey: P256.KeyAgreement.PrivateKey
    ) throws -> Data {
        guard plaintext.count <= maximumPlaintextSize else {
            throw WebPushError.payloadTooLarge(plaintext.count)
        }
        guard p256dh.count == 65, auth.count == 16, salt.count == 16 else {
            throw WebPushError.invalidKey("p256dh must be 65 bytes, auth and salt 16")
        }
        let userAgentKey: P256.KeyAgreement.PublicKey
        do {
            userAgentKey = try P256.KeyAgreement.PublicKey(x963Representation: p256dh)
        } catch {
            throw WebPushError.invalidKey("p256dh is not a P-256 point")
        }
        let serverPublic = ephemeralKey.publicKey.x963Representation
        let sharedSecret = try ephemeralKey.sharedSecretFromKeyAgreement(with: userAgentKey)

        // RFC 8291 §3.4: IKM = HKDF(salt: auth, ikm: ECDH, info: "WebPush: info\0" | ua | as, 32).
        let keyInfo = Data("WebPush: info\0".utf8) + p256dh + serverPublic
        let ikm = sharedSecret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: auth, sharedInfo: keyInfo, outputByteCount: 32
        )
        // RFC 8188 §2.2–2.3: content key and nonce from the message salt.
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
        let contentKey = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: Data("Content-Encoding: aes128gcm\0".utf8), outputByteCount: 16
        )
        let nonce = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: Data("Content-Encoding: nonce\0".utf8), outputByteCount: 12
        )

        // A single, final record: plaintext then the 0x02 delimiter, no further padding.
        var record = plaintext
        record.append(0x02)
        let sealed = try AES.GCM.seal(
            record,
            using: contentKey,
            nonce: AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) })
        )

        var body = salt
        withUnsafeBytes(of: recordSize.bigEndian) { body.append(contentsOf: $0) }
        body.append(UInt8(serverPublic.count))
        body.append(serverPublic)
        body.append(sealed.ciphertext)
        body.append(sealed.tag)
        return body
    }
}
