import Crypto
import EntativaCore
import Foundation
import Testing

@Suite("Lower-case hex")
struct LowercaseHexTests {
    @Test("Bytes become two lower-case digits each, as digests are stored")
    func digits() {
        #expect([UInt8]().lowercaseHex == "")
        #expect([0x00, 0x0f, 0xa5, 0xff].lowercaseHex == "000fa5ff")
        // FIPS 180-2's example: SHA-256 of "abc".
        #expect(SHA256.hash(data: Data("abc".utf8)).lowercaseHex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
