import Crypto
import Foundation
import Testing

@testable import DeliveryChannels

@Suite("Web Push encryption (RFC 8291)")
struct WebPushEncryptionTests {
    // RFC 8291 §5 and Appendix A.
    static let plaintext = "When I grow up, I want to be a watermelon"
    static let uaPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    static let authSecret = "BTBZMqHH6r4Tts7J_aSIgg"
    static let asPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
    static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
    static let body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_"
        + "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"

    static func bytes(_ base64URL: String) throws -> Data {
        try #require(Base64URL.decode(base64URL))
    }

    @Test("matches the RFC 8291 example byte for byte")
    func rfcVector() throws {
        // given the example's keys, salt and sender key
        let ephemeral = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Self.asPrivate))
        // when
        let body = try WebPushEncryption.encrypt(
            plaintext: Data(Self.plaintext.utf8),
            p256dh: Self.bytes(Self.uaPublic),
            auth: Self.bytes(Self.authSecret),
            salt: Self.bytes(Self.salt),
            ephemeralKey: ephemeral
        )
        // then
        #expect(Base64URL.encode(body) == Self.body)
    }

    @Test("uses a fresh salt and key per message, with the RFC 8188 header")
    func freshSaltAndKey() throws {
        let ua = P256.KeyAgreement.PrivateKey()
        let auth = Data(repeating: 7, count: 16)
        let a = try WebPushEncryption.encrypt(plaintext: Data("hi".utf8), p256dh: ua.publicKey.x963Representation, auth: auth)
        let b = try WebPushEncryption.encrypt(plaintext: Data("hi".utf8), p256dh: ua.publicKey.x963Representation, auth: auth)
        #expect(a.prefix(16) != b.prefix(16))
        #expect(Array(a[16..<21]) == [0, 0, 0x10, 0, 65])
        #expect(a.count == 86 + 2 + 1 + 16)
    }

    @Test("refuses bad keys and oversized payloads")
    func refusals() throws {
        let ua = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
        let auth = Data(repeating: 1, count: 16)
        #expect(throws: WebPushError.self) {
            try WebPushEncryption.encrypt(plaintext: Data(), p256dh: Data(repeating: 4, count: 65), auth: auth)
        }
        #expect(throws: WebPushError.self) {
            try WebPushEncryption.encrypt(plaintext: Data(), p256dh: ua, auth: Data(repeating: 1, count: 15))
        }
        #expect(throws: WebPushError.payloadTooLarge(3994)) {
            try WebPushEncryption.encrypt(plaintext: Data(count: 3994), p256dh: ua, auth: auth)
        }
        let largest = try WebPushEncryption.encrypt(plaintext: Data(count: 3993), p256dh: ua, auth: auth)
        #expect(largest.count == 4096)
    }
}

@Suite("VAPID keys")
struct VAPIDKeysTests {
    @Test("round-trips through its stored forms")
    func roundTrip() throws {
        let keys = VAPIDKeys()
        let restored = try VAPIDKeys(base64URL: keys.base64URL)
        #expect(restored.rawRepresentation == keys.rawRepresentation)
        #expect(try VAPIDKeys(rawRepresentation: keys.rawRepresentation).publicKeyBase64URL == keys.publicKeyBase64URL)
        #expect(keys.publicKeyRaw.count == 65 && keys.publicKeyRaw.first == 0x04)
        #expect(!keys.publicKeyBase64URL.contains("=") && keys.publicKeyBase64URL.count == 87)
        #expect(throws: (any Error).self) { try VAPIDKeys(base64URL: "not base64!") }
    }

    @Test(
        "audience is the endpoint's origin",
        arguments: [
            ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
            ("https://updates.push.services.mozilla.com:443/wpush/v2/x", "https://updates.push.services.mozilla.com"),
            ("https://127.0.0.1:8443/push/1", "https://127.0.0.1:8443"),
            ("https://Push.Example.COM/x", "https://push.example.com"),
        ])
    func audience(endpoint: String, origin: String) throws {
        #expect(VAPIDAuthorizer.audience(of: try #require(URL(string: endpoint))) == origin)
    }

    @Test("topics are short base64url, hashed when needed")
    func topic() {
        #expect(WebPushSender.topic(for: "post-42") == "post-42")
        let hashed = WebPushSender.topic(for: "post:42:likes")
        #expect(hashed.count == 32 && hashed == WebPushSender.topic(for: "post:42:likes"))
        #expect(hashed != WebPushSender.topic(for: "post:43:likes"))
    }
}
