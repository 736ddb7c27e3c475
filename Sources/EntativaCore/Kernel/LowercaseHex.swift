/// Lower-case hexadecimal text of bytes, as digests are stored and compared. Formatting each
/// byte with `String(format:)` went through Foundation's format parser 32 times per digest:
/// hashing a device secret that way was a twentieth of the message relay's CPU.
extension Sequence where Element == UInt8 {
    public var lowercaseHex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
