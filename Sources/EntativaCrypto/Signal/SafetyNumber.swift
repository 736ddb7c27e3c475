import Crypto

/// The 60-digit safety number two people compare to check that no one sits between them: each
/// side's identity key and stable identifier hashed 5,200 times (SHA-512), as libsignal's
/// displayable fingerprint computes it, in an order both sides agree on.
public enum SafetyNumber {
    public static let iterations = 5_200

    /// The number both sides see, whichever computes it.
    public static func displayed(localID: [UInt8], localKey: [UInt8], remoteID: [UInt8], remoteKey: [UInt8]) -> String {
        let local = digits(of: fingerprint(id: localID, key: localKey))
        let remote = digits(of: fingerprint(id: remoteID, key: remoteKey))
        return local <= remote ? local + remote : remote + local
    }

    /// SHA-512 over version 0 (two bytes), the serialized key and the identifier, then again
    /// over the result and the key, `iterations` times in all.
    static func fingerprint(id: [UInt8], key: [UInt8]) -> [UInt8] {
        let serialized = SerializedKey.serialize(key)
        var hash = [0, 0] + serialized + id
        for _ in 0..<iterations {
            var hasher = SHA512()
            hasher.update(data: hash)
            hasher.update(data: serialized)
            hash = Array(hasher.finalize())
        }
        return hash
    }

    /// Six groups of five digits: each five bytes of the hash, big-endian, modulo 100,000.
    static func digits(of hash: [UInt8]) -> String {
        (0..<6).map { group in
            let value = hash[group * 5..<group * 5 + 5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 100_000
            let text = String(value)
            return String(repeating: "0", count: 5 - text.count) + text
        }.joined()
    }
}
