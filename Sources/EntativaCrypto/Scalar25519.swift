/// Arithmetic modulo L = 2^252 + 27742317777372353535851937790883648493, the order of the
/// edwards25519 base point: what XEdDSA's s = r + h·a needs. Reduction is plain shift and
/// subtract, one bit at a time with a masked subtraction, so it takes the same time for every
/// value; a signature costs a few thousand word operations here, nothing beside the point
/// multiplications.
enum Scalar25519 {
    /// L in four little-endian 64-bit words.
    static let order: [UInt64] = [0x5812_631A_5CF5_D3ED, 0x14DE_F9DE_A2F7_9CD6, 0, 0x1000_0000_0000_0000]

    /// A little-endian byte string of any length, reduced mod L, as 32 bytes.
    static func reduce(_ bytes: [UInt8]) -> [UInt8] {
        var remainder: [UInt64] = [0, 0, 0, 0]
        for bit in stride(from: bytes.count * 8 - 1, through: 0, by: -1) {
            // remainder < L < 2^253, so doubling it and adding a bit stays inside 256 bits.
            let incoming = UInt64((bytes[bit >> 3] >> UInt8(bit & 7)) & 1)
            remainder = [
                remainder[0] << 1 | incoming, remainder[1] << 1 | remainder[0] >> 63,
                remainder[2] << 1 | remainder[1] >> 63, remainder[3] << 1 | remainder[2] >> 63,
            ]
            remainder = subtractOrderIfAbove(remainder)
        }
        return remainder.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } }
    }

    /// (a + b·c) mod L for 32-byte little-endian scalars.
    static func multiplyAdd(_ b: [UInt8], _ c: [UInt8], plus a: [UInt8]) -> [UInt8] {
        let (bw, cw, aw) = (words(b), words(c), words(a))
        var product = [UInt64](repeating: 0, count: 9)
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let wide = UInt128(bw[i]) * UInt128(cw[j]) + UInt128(product[i + j]) + UInt128(carry)
                product[i + j] = UInt64(truncatingIfNeeded: wide)
                carry = UInt64(wide >> 64)
            }
            product[i + 4] = carry
        }
        var carry: UInt64 = 0
        for i in 0..<9 {
            let wide = UInt128(product[i]) + UInt128(i < 4 ? aw[i] : 0) + UInt128(carry)
            product[i] = UInt64(truncatingIfNeeded: wide)
            carry = UInt64(wide >> 64)
        }
        return reduce(product.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } })
    }

    /// Whether 32 little-endian bytes are below L: libsignal refuses signatures whose s is not.
    static func isCanonical(_ bytes: [UInt8]) -> Bool {
        let value = words(bytes)
        for index in stride(from: 3, through: 0, by: -1) where value[index] != order[index] {
            return value[index] < order[index]
        }
        return false
    }

    private static func words(_ bytes: [UInt8]) -> [UInt64] {
        precondition(bytes.count == 32, "a scalar is 32 bytes")
        return (0..<4).map { word in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[word * 8 + $1]) << (8 * UInt64($1)) } }
    }

    private static func subtractOrderIfAbove(_ value: [UInt64]) -> [UInt64] {
        var difference = [UInt64](repeating: 0, count: 4)
        var borrow: UInt64 = 0
        for index in 0..<4 {
            let (step, overflow1) = value[index].subtractingReportingOverflow(order[index])
            let (result, overflow2) = step.subtractingReportingOverflow(borrow)
            difference[index] = result
            borrow = (overflow1 ? 1 : 0) | (overflow2 ? 1 : 0)
        }
        // No borrow out means value ≥ L: keep the difference.
        let keep = borrow &- 1
        return (0..<4).map { (difference[$0] & keep) | (value[$0] & ~keep) }
    }
}
