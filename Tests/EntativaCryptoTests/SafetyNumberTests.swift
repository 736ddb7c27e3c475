import EntativaCrypto
import EntativaTestSupport
import Testing

@Suite("Crypto: safety numbers")
struct SafetyNumberTests {
    @Test("Both sides see the same 60 digits, libsignal computes the same, and another key changes them")
    func matchesLibsignal() async throws {
        let ada = try X25519Keys.publicKey(of: X25519Keys.generatePrivateKey())
        let bob = try X25519Keys.publicKey(of: X25519Keys.generatePrivateKey())
        let (adaID, bobID) = (Array("382477524279492608".utf8), Array("382477524279492609".utf8))
        let seenByAda = SafetyNumber.displayed(localID: adaID, localKey: ada, remoteID: bobID, remoteKey: bob)
        let seenByBob = SafetyNumber.displayed(localID: bobID, localKey: bob, remoteID: adaID, remoteKey: ada)
        #expect(seenByAda == seenByBob && seenByAda.count == 60 && seenByAda.allSatisfy(\.isNumber))
        let swapped = try X25519Keys.publicKey(of: X25519Keys.generatePrivateKey())
        #expect(SafetyNumber.displayed(localID: adaID, localKey: ada, remoteID: bobID, remoteKey: swapped) != seenByAda)

        let answer = try await LibsignalPeer.ask([[
            "op": "safety_number", "local_id": adaID.hex, "local_key": ada.hex, "remote_id": bobID.hex, "remote_key": bob.hex,
        ]])
        #expect(answer.first?["number"] == seenByAda)
    }
}
