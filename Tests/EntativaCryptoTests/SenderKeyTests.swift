@testable import EntativaCrypto
import EntativaTestSupport
import Foundation
import Testing

/// A libsignal party's sender keys for one group, kept in a file between runs of the peer.
struct LibsignalGroupMember {
    let state = NSTemporaryDirectory() + "libsignal-group-\(UUID().uuidString).json"
    let group: String

    /// Starts `sender`'s chain (when the member is that sender); answers its distribution.
    func createDistribution(as sender: String) async throws -> [UInt8] {
        let answer = try await LibsignalPeer.ask([["op": "group_create", "state": state, "group": group, "sender": sender]])[0]
        return [UInt8](hex: try #require(answer["distribution"], "\(answer)"))
    }

    func process(_ distribution: [UInt8], from sender: String) async throws {
        let answer = try await LibsignalPeer.ask([
            ["op": "group_process", "state": state, "group": group, "sender": sender, "distribution": distribution.hex]
        ])[0]
        #expect(answer["ok"] == "yes", "\(answer)")
    }

    func encrypt(_ texts: [String], as sender: String) async throws -> [[UInt8]] {
        let answers = try await LibsignalPeer.ask(texts.map {
            ["op": "group_encrypt", "state": state, "group": group, "sender": sender, "plaintext": Array($0.utf8).hex]
        })
        return try answers.map { [UInt8](hex: try #require($0["body"], "\($0)")) }
    }

    func decrypt(_ messages: [[UInt8]], from sender: String) async throws -> [String?] {
        let answers = try await LibsignalPeer.ask(messages.map {
            ["op": "group_decrypt", "state": state, "group": group, "sender": sender, "body": $0.hex]
        })
        return answers.map { answer in answer["plaintext"].map { String(decoding: [UInt8](hex: $0), as: UTF8.self) } }
    }
}

@Suite("Crypto: Sender Keys against libsignal")
struct SenderKeyTests {
    /// Restored from JSON between calls, as a client keeps it.
    static func roundTrip(_ record: SenderKeyRecord) throws -> SenderKeyRecord {
        try JSONDecoder().decode(SenderKeyRecord.self, from: try JSONEncoder().encode(record))
    }

    @Test("libsignal reads our group messages from our distribution, out of order, and refuses replays and forgeries")
    func libsignalReadsOurs() async throws {
        var ours = SenderKeyRecord(states: [try SenderKeyState.generate()])
        let distribution = try #require(ours.current?.distribution)
        let theirs = LibsignalGroupMember(group: "g1")
        try await theirs.process(distribution.serialized, from: "alice.1")

        var sent: [[UInt8]] = []
        for index in 0..<6 {
            sent.append(try GroupCipher.encrypt(Array("group message \(index)".utf8), in: &ours))
            ours = try Self.roundTrip(ours)
        }
        // Out of order, then a replay of one already read.
        let order = [2, 0, 5, 1, 4, 3, 2]
        let read = try await theirs.decrypt(order.map { sent[$0] }, from: "alice.1")
        #expect(Array(read.prefix(6)) == order.prefix(6).map { "group message \($0)" })
        #expect(read[6] == nil, "libsignal took a replay")

        var tampered = try GroupCipher.encrypt(Array("signed".utf8), in: &ours)
        tampered[tampered.count - 70] ^= 0x01
        #expect(try await theirs.decrypt([tampered], from: "alice.1") == [nil], "libsignal took a message whose signature does not match")
    }

    @Test("We read libsignal's group messages from its distribution, out of order, and refuse replays and forgeries")
    func weReadTheirs() async throws {
        let theirs = LibsignalGroupMember(group: "g2")
        let distribution = try SenderKeyDistribution(parsing: try await theirs.createDistribution(as: "carol.2"))
        var record = SenderKeyRecord()
        record.add(distribution.receivingState)
        let sent = try await theirs.encrypt((0..<6).map { "from libsignal \($0)" }, as: "carol.2")

        for index in [3, 1, 0, 5, 2, 4] {
            #expect(try GroupCipher.decrypt(sent[index], in: &record) == Array("from libsignal \(index)".utf8))
            record = try Self.roundTrip(record)
        }
        #expect(throws: SignalError.duplicateMessage) { try GroupCipher.decrypt(sent[3], in: &record) }

        let more = try await theirs.encrypt(["after the replay"], as: "carol.2")[0]
        var forged = more
        forged[forged.count - 1] ^= 0x80
        let before = record
        #expect(throws: SignalError.invalidSignature) { try GroupCipher.decrypt(forged, in: &record) }
        #expect(record == before, "a forgery changed the record")
        #expect(try GroupCipher.decrypt(more, in: &record) == Array("after the replay".utf8))
    }

    @Test("A replayed distribution does not rewind a chain; a jump past libsignal's bound is refused")
    func bounds() throws {
        var ours = SenderKeyRecord(states: [try SenderKeyState.generate()])
        let distribution = try #require(ours.current?.distribution)
        var theirs = SenderKeyRecord()
        theirs.add(distribution.receivingState)
        let first = try GroupCipher.encrypt(Array("one".utf8), in: &ours)
        #expect(try GroupCipher.decrypt(first, in: &theirs) == Array("one".utf8))
        theirs.add(try SenderKeyDistribution(parsing: distribution.serialized).receivingState)
        #expect(throws: SignalError.duplicateMessage) { try GroupCipher.decrypt(first, in: &theirs) }

        // The sender's chain moved on 25,002 messages past the receiver's without them arriving.
        var state = try #require(ours.current)
        for _ in 0...SenderKeyState.maxForwardJump {
            state.chainKey = SignalKDF.nextChain(state.chainKey)
            state.iteration += 1
        }
        var far = SenderKeyRecord(states: [state])
        let tooFar = try GroupCipher.encrypt([1], in: &far)
        #expect(throws: SignalError.tooFarAhead) { try GroupCipher.decrypt(tooFar, in: &theirs) }
        #expect(throws: SignalError.malformedMessage) { try SenderKeyDistribution(parsing: [0x33, 0x08]) }
        #expect(throws: SignalError.unsupportedVersion) { try SenderKeyDistribution(parsing: [0x22, 0x08, 0x01]) }
    }
}
