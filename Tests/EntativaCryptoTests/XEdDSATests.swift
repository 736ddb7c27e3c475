import Crypto
@testable import EntativaCrypto
import EntativaTestSupport
import Foundation
import Testing

@Suite("Crypto: field, curve and XEdDSA")
struct XEdDSATests {
    @Test("Field inverses, and the encoding round-trips and is canonical")
    func field() {
        for _ in 0..<20 {
            let bytes = XEdDSA.randomBytes(32).enumerated().map { $0.offset == 31 ? $0.element & 0x7F : $0.element }
            let element = FieldElement(bytes: bytes)
            #expect((element * element.inverted).bytes == FieldElement.one.bytes)
            #expect(FieldElement(bytes: element.bytes).bytes == element.bytes)
        }
        // p itself reads as zero, p + 1 as one: the encoding is canonical.
        let p = [0xED] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]
        #expect(FieldElement(bytes: p).bytes == FieldElement.zero.bytes)
        #expect((FieldElement(bytes: p) + .one).bytes == FieldElement.one.bytes)
        #expect((FieldElement.zero - .one + .one).isZero)
    }

    @Test("The base point is on the curve and a·B matches BoringSSL's Ed25519 and X25519 keys")
    func curveMatchesBoringSSL() throws {
        #expect(EdwardsPoint.base.isOnCurve)
        #expect(EdwardsPoint.base.encoded == hexBytes("5866666666666666666666666666666666666666666666666666666666666666"))
        for _ in 0..<8 {
            let seed = Curve25519.Signing.PrivateKey()
            let expanded = Array(SHA512.hash(data: seed.rawRepresentation))
            let scalar = X25519Keys.clamp(Array(expanded[0..<32]))
            let point = EdwardsPoint.base.multiplied(by: scalar)
            #expect(point.isOnCurve)
            #expect(point.encoded == Array(seed.publicKey.rawRepresentation))
            // The same scalar's X25519 key maps onto the same y.
            var y = point.encoded
            y[31] &= 0x7F
            #expect(X25519Keys.edwardsY(fromMontgomery: try X25519Keys.publicKey(of: scalar)) == y)
        }
    }

    @Test("Scalars reduce modulo L")
    func scalars() {
        let order = hexBytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
        #expect(Scalar25519.reduce(order) == [UInt8](repeating: 0, count: 32))
        var orderPlusFive = order
        orderPlusFive[0] += 5
        #expect(Scalar25519.reduce(orderPlusFive) == [5] + [UInt8](repeating: 0, count: 31))
        let seven = [7] + [UInt8](repeating: 0, count: 31), six = [6] + [UInt8](repeating: 0, count: 31)
        #expect(Scalar25519.multiplyAdd(seven, six, plus: seven) == [49] + [UInt8](repeating: 0, count: 31))
        // (L − 1)·(L − 1) + 0 ≡ 1.
        var orderMinusOne = order
        orderMinusOne[0] -= 1
        #expect(Scalar25519.multiplyAdd(orderMinusOne, orderMinusOne, plus: [UInt8](repeating: 0, count: 32)) == [1] + [UInt8](repeating: 0, count: 31))
        #expect(Scalar25519.isCanonical(orderMinusOne) && !Scalar25519.isCanonical(order))
    }

    @Test("Signatures verify; another message, key or byte does not")
    func signAndVerify() throws {
        let privateKey = X25519Keys.generatePrivateKey()
        let publicKey = try X25519Keys.publicKey(of: privateKey)
        let message = Array("a signed prekey".utf8)
        let signature = XEdDSA.sign(message, privateKey: privateKey)
        #expect(XEdDSA.verify(signature, for: message, publicKey: publicKey))
        #expect(!XEdDSA.verify(signature, for: Array("another".utf8), publicKey: publicKey))
        #expect(!XEdDSA.verify(signature, for: message, publicKey: try X25519Keys.publicKey(of: X25519Keys.generatePrivateKey())))
        for index in [0, 31, 32, 62] {
            var tampered = signature
            tampered[index] ^= 0x01
            #expect(!XEdDSA.verify(tampered, for: message, publicKey: publicKey))
        }
        #expect(!XEdDSA.verify(signature.dropLast(), for: message, publicKey: publicKey))
        // The same s plus L is the same equation but not canonical: refused, as libsignal does.
        var malleable = signature
        let s = Array(signature[32..<64]).enumerated().map { $0.offset == 31 ? $0.element & 0x7F : $0.element }
        let order = hexBytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
        var carry = 0
        for index in 0..<32 {
            let sum = Int(s[index]) + Int(order[index]) + carry
            malleable[32 + index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        malleable[63] |= signature[63] & 0x80
        #expect(!XEdDSA.verify(malleable, for: message, publicKey: publicKey))
        // Fixed randomness gives a fixed signature.
        let noise = [UInt8](repeating: 7, count: 64)
        #expect(XEdDSA.sign(message, privateKey: privateKey, random: noise) == XEdDSA.sign(message, privateKey: privateKey, random: noise))
    }

    @Test("libsignal verifies our signatures and we verify libsignal's")
    func libsignalInterop() async throws {
        var requests: [[String: String]] = []
        var ours: [(publicKey: [UInt8], message: [UInt8], signature: [UInt8])] = []
        for index in 0..<16 {
            let privateKey = X25519Keys.generatePrivateKey()
            let message = Array("prekey \(index)".utf8) + XEdDSA.randomBytes(index)
            let signature = XEdDSA.sign(message, privateKey: privateKey)
            let publicKey = try X25519Keys.publicKey(of: privateKey)
            ours.append((publicKey, message, signature))
            requests.append(["op": "verify", "public": publicKey.hex, "message": message.hex, "signature": signature.hex])
            // libsignal derives the same public key from our private key.
            requests.append(["op": "public", "private": privateKey.hex])
        }
        var tampered = ours[0].signature
        tampered[40] ^= 0x10
        requests.append(["op": "verify", "public": ours[0].publicKey.hex, "message": ours[0].message.hex, "signature": tampered.hex])
        requests.append(["op": "generate"])
        let answers = try await LibsignalPeer.ask(requests)
        for (index, signed) in ours.enumerated() {
            #expect(answers[2 * index]["valid"] == "yes", "libsignal refused our signature \(index)")
            #expect(answers[2 * index + 1]["public"] == signed.publicKey.hex)
        }
        #expect(answers[32]["valid"] == "no")

        let theirs = answers[33]
        let theirPrivate = [UInt8](hex: theirs["private"] ?? "")
        #expect(try X25519Keys.publicKey(of: theirPrivate).hex == theirs["public"])
        let messages = (0..<8).map { Array("their prekey \($0)".utf8) }
        let signed = try await LibsignalPeer.ask(messages.map { ["op": "sign", "private": theirPrivate.hex, "message": $0.hex] })
        for (message, answer) in zip(messages, signed) {
            let signature = [UInt8](hex: answer["signature"] ?? "")
            #expect(XEdDSA.verify(signature, for: message, publicKey: [UInt8](hex: theirs["public"] ?? "")))
            #expect(!XEdDSA.verify(signature, for: message + [0], publicKey: [UInt8](hex: theirs["public"] ?? "")))
        }
    }
}
