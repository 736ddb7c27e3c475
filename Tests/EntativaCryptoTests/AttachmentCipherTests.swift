import Crypto
import EntativaCrypto
import EntativaTestSupport
import Foundation
import Testing

@Suite("Crypto: attachments as Signal encrypts them")
struct AttachmentCipherTests {
    @Test("Round trips pad to Signal's buckets; a flipped bit, a wrong key or a short file is refused")
    func cipher() throws {
        for size in [0, 1, 540, 541, 542, 10_000, 123_457] {
            let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let sealed = try AttachmentCipher.encrypt(plaintext)
            #expect(sealed.keys.count == 64 && sealed.digest.count == 32 && sealed.size == size)
            // IV, the padded plaintext in whole AES blocks, the MAC.
            #expect(sealed.ciphertext.count >= 16 + max(541, size) + 32)
            #expect(try AttachmentCipher.decrypt(sealed.ciphertext, keys: sealed.keys, digest: sealed.digest, size: size) == plaintext)
        }
        let sealed = try AttachmentCipher.encrypt(Array("a photo".utf8))
        var flipped = sealed.ciphertext
        flipped[20] ^= 1
        #expect(throws: AttachmentCipher.Failure.digestMismatch) {
            try AttachmentCipher.decrypt(flipped, keys: sealed.keys, digest: sealed.digest, size: sealed.size)
        }
        // A sender who lies about the digest cannot get past the MAC either.
        let forgedDigest = Array(SHA256.hash(data: flipped))
        #expect(throws: AttachmentCipher.Failure.badMAC) { try AttachmentCipher.decrypt(flipped, keys: sealed.keys, digest: forgedDigest, size: sealed.size) }
        var otherKeys = sealed.keys
        otherKeys[40] ^= 1
        #expect(throws: AttachmentCipher.Failure.badMAC) {
            try AttachmentCipher.decrypt(sealed.ciphertext, keys: otherKeys, digest: sealed.digest, size: sealed.size)
        }
        #expect(throws: AttachmentCipher.Failure.malformed) { try AttachmentCipher.decrypt([1, 2, 3], keys: sealed.keys, digest: sealed.digest, size: 3) }
    }

    @Test("Python's cryptography package reads our attachment: MAC, AES-256-CBC and the digest as Signal defines them")
    func witness() async throws {
        let plaintext = Array("witnessed by a library we did not write".utf8)
        let sealed = try AttachmentCipher.encrypt(plaintext)
        let script = """
            import hashlib, hmac, sys
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
            data, keys, digest, size = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3]), int(sys.argv[4])
            assert hashlib.sha256(data).digest() == digest, "digest"
            iv, body, mac = data[:16], data[16:-32], data[-32:]
            assert hmac.new(keys[32:], iv + body, hashlib.sha256).digest() == mac, "mac"
            padded = Cipher(algorithms.AES(keys[:32]), modes.CBC(iv)).decryptor().update(body)
            assert padded[-1] <= 16 and padded.endswith(bytes([padded[-1]]) * padded[-1]), "pkcs7"
            sys.stdout.write(padded[:-padded[-1]][:size].hex())
            """
        let output = try await PythonPeer.run(script, arguments: [sealed.ciphertext.hex, sealed.keys.hex, sealed.digest.hex, "\(sealed.size)"])
        #expect(output == plaintext.hex)
    }
}
