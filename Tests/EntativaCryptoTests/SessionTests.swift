import EntativaCrypto
import EntativaTestSupport
import Foundation
import Testing

/// One libsignal party, its store kept in a file between runs of the peer.
struct LibsignalParty {
    let state = NSTemporaryDirectory() + "libsignal-\(UUID().uuidString).json"
    let name: String

    /// Makes the party; answers its bundle.
    func create(registrationID: UInt32, signedPreKeyID: UInt32, preKeyID: UInt32) async throws -> RemoteBundle {
        let answer = try await LibsignalPeer.ask([[
            "op": "create_party", "state": state, "registration_id": "\(registrationID)", "signed_pre_key_id": "\(signedPreKeyID)",
            "pre_key_id": "\(preKeyID)",
        ]])[0]
        return RemoteBundle(
            registrationID: registrationID, identityKey: [UInt8](hex: answer["identity_key"] ?? ""), signedPreKeyID: signedPreKeyID,
            signedPreKey: [UInt8](hex: answer["signed_pre_key"] ?? ""), signedPreKeySignature: [UInt8](hex: answer["signature"] ?? ""),
            preKeyID: preKeyID, preKey: [UInt8](hex: answer["pre_key"] ?? ""))
    }

    func process(_ bundle: RemoteBundle, of peer: String) async throws {
        let answer = try await LibsignalPeer.ask([[
            "op": "process_bundle", "state": state, "peer": peer, "registration_id": "\(bundle.registrationID)",
            "pre_key_id": "\(bundle.preKeyID ?? 0)", "pre_key": bundle.preKey?.hex ?? "", "signed_pre_key_id": "\(bundle.signedPreKeyID)",
            "signed_pre_key": bundle.signedPreKey.hex, "signature": bundle.signedPreKeySignature.hex, "identity_key": bundle.identityKey.hex,
        ]])[0]
        #expect(answer["ok"] == "yes", "\(answer)")
    }

    func encrypt(_ texts: [String], to peer: String) async throws -> [SignalCiphertext] {
        let answers = try await LibsignalPeer.ask(texts.map { ["op": "encrypt", "state": state, "peer": peer, "plaintext": Array($0.utf8).hex] })
        return answers.map { SignalCiphertext(kind: $0["type"] == "3" ? .preKey : .message, bytes: [UInt8](hex: $0["body"] ?? "")) }
    }

    /// Each message's plaintext, or libsignal's refusal.
    func decrypt(_ messages: [SignalCiphertext], from peer: String) async throws -> [Result<String, LibsignalRefusal>] {
        let answers = try await LibsignalPeer.ask(messages.map {
            ["op": "decrypt", "state": state, "peer": peer, "type": "\($0.kind.rawValue)", "body": $0.bytes.hex]
        })
        return answers.map { answer in
            if let plaintext = answer["plaintext"] { return .success(String(decoding: [UInt8](hex: plaintext), as: UTF8.self)) }
            return .failure(LibsignalRefusal(reason: answer["error"] ?? "?"))
        }
    }
}

struct LibsignalRefusal: Error, Equatable { var reason: String }

extension Result where Success == String {
    var text: String? { try? get() }
}

/// Our side of a conversation: an identity, prekeys and the session once there is one.
struct OurParty {
    var local: SignalIdentity
    var preKeys: SessionCipher.LocalPreKeys
    var bundle: RemoteBundle
    var session: SignalSession?

    static func make(registrationID: UInt32) throws -> OurParty {
        let identity = try SignalKeyPair.generate()
        let signed = try SignalKeyPair.generate()
        let oneTime = try SignalKeyPair.generate()
        let signature = XEdDSA.sign([0x05] + signed.publicKey, privateKey: identity.privateKey)
        return OurParty(
            local: SignalIdentity(identity: identity, registrationID: registrationID),
            preKeys: SessionCipher.LocalPreKeys(signed: [5: signed], oneTime: [9: oneTime]),
            bundle: RemoteBundle(
                registrationID: registrationID, identityKey: identity.publicKey, signedPreKeyID: 5, signedPreKey: signed.publicKey,
                signedPreKeySignature: signature, preKeyID: 9, preKey: oneTime.publicKey))
    }

    mutating func encrypt(_ texts: [String]) throws -> [SignalCiphertext] {
        var session = try #require(self.session)
        let out = try texts.map { try SessionCipher.encrypt(Array($0.utf8), in: &session) }
        // Persisted and restored between messages, as a client would.
        self.session = try JSONDecoder().decode(SignalSession.self, from: try JSONEncoder().encode(session))
        return out
    }

    mutating func decrypt(_ message: SignalCiphertext) throws -> String {
        if message.kind == .preKey {
            let (session, plaintext, _) = try SessionCipher.receiveFirst(message.bytes, existing: session, as: local, preKeys: preKeys)
            self.session = session
            return String(decoding: plaintext, as: UTF8.self)
        }
        var session = try #require(self.session)
        defer { self.session = session }
        return String(decoding: try SessionCipher.decrypt(message.bytes, in: &session), as: UTF8.self)
    }
}

@Suite("Crypto: Signal sessions against libsignal")
struct SessionTests {
    /// Five turns each way, every batch delivered out of order, with replays and tampering.
    func converse(ours: inout OurParty, theirs: LibsignalParty, oursName: String, theirsName: String) async throws {
        for turn in 1...5 {
            let texts = (0..<3).map { "ours \(turn).\($0)" }
            let sent = try ours.encrypt(texts)
            let shuffled = [sent[2], sent[0], sent[1]]
            let read = try await theirs.decrypt(shuffled + [sent[0]], from: oursName)
            #expect(read.prefix(3).map(\.text) == [texts[2], texts[0], texts[1]], "turn \(turn)")
            #expect(read[3].text == nil, "libsignal took a replay at turn \(turn)")

            let replies = (0..<3).map { "theirs \(turn).\($0)" }
            let answers = try await theirs.encrypt(replies, to: oursName)
            for index in [1, 2, 0] { #expect(try ours.decrypt(answers[index]) == replies[index], "turn \(turn)") }
            #expect(throws: SignalError.duplicateMessage) { try ours.decrypt(answers[1]) }
        }
        // A flipped MAC bit is refused on both sides and spends nothing.
        let genuine = try ours.encrypt(["genuine"])[0]
        var forged = genuine
        forged.bytes[forged.bytes.count - 1] ^= 0x01
        let verdicts = try await theirs.decrypt([forged, genuine], from: oursName)
        #expect(verdicts[0].text == nil && verdicts[1].text == "genuine")
        var theirsGenuine = try await theirs.encrypt(["theirs genuine"], to: oursName)[0]
        let kept = theirsGenuine
        theirsGenuine.bytes[theirsGenuine.bytes.count - 1] ^= 0x01
        #expect(throws: SignalError.badMAC) { try ours.decrypt(theirsGenuine) }
        #expect(try ours.decrypt(kept) == "theirs genuine")
    }

    @Test("libsignal starts a session from our bundle, and we read it; five turns out of order both ways")
    func libsignalStarts() async throws {
        var ours = try OurParty.make(registrationID: 1234)
        let theirs = LibsignalParty(name: "alice")
        _ = try await theirs.create(registrationID: 4321, signedPreKeyID: 1, preKeyID: 2)
        try await theirs.process(ours.bundle, of: "bob.1")
        let first = try await theirs.encrypt(["hello from libsignal", "and again before any answer"], to: "bob.1")
        #expect(first.map(\.kind) == [.preKey, .preKey])
        let (session, plaintext, used) = try SessionCipher.receiveFirst(first[0].bytes, existing: nil, as: ours.local, preKeys: ours.preKeys)
        #expect(String(decoding: plaintext, as: UTF8.self) == "hello from libsignal" && used == 9)
        ours.session = session
        #expect(session.remoteRegistrationID == 4321)
        // A second first message (no answer yet) continues the same session.
        #expect(try ours.decrypt(first[1]) == "and again before any answer")
        try await converse(ours: &ours, theirs: theirs, oursName: "bob.1", theirsName: "alice.1")
    }

    @Test("We start a session from libsignal's bundle, and it reads it; five turns out of order both ways")
    func weStart() async throws {
        var ours = try OurParty.make(registrationID: 99)
        let theirs = LibsignalParty(name: "bob")
        let bundle = try await theirs.create(registrationID: 777, signedPreKeyID: 11, preKeyID: 12)
        ours.session = try SessionCipher.start(with: bundle, as: ours.local)
        let first = try ours.encrypt(["hello from us", "second before an answer"])
        #expect(first.map(\.kind) == [.preKey, .preKey])
        let read = try await theirs.decrypt(first, from: "alice.1")
        #expect(read.map(\.text) == ["hello from us", "second before an answer"])
        // Once libsignal answers, our messages are plain SignalMessages.
        let answer = try await theirs.encrypt(["hi back"], to: "alice.1")
        #expect(try ours.decrypt(answer[0]) == "hi back")
        #expect(try ours.encrypt(["now established"]).map(\.kind) == [.message])
        #expect(try await theirs.decrypt([try ours.encrypt(["still fine"])[0]], from: "alice.1").map(\.text) == ["still fine"])
        try await converse(ours: &ours, theirs: theirs, oursName: "alice.1", theirsName: "bob.1")

        // A bundle whose signature the identity key did not make is refused.
        var forged = bundle
        forged.signedPreKeySignature[10] ^= 0x01
        #expect(throws: SignalError.invalidSignature) { try SessionCipher.start(with: forged, as: ours.local) }
    }
}
