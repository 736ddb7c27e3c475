/// An element of GF(2^255 − 19) in five 51-bit limbs: the arithmetic XEdDSA needs and
/// swift-crypto does not expose (it offers X25519 and Ed25519 only as whole operations).
/// Every operation runs in the same time whatever the values, so secret scalars do not leak
/// through timing.
struct FieldElement: Sendable {
    var l0, l1, l2, l3, l4: UInt64

    static let mask: UInt64 = (1 << 51) - 1
    static let zero = FieldElement(l0: 0, l1: 0, l2: 0, l3: 0, l4: 0)
    static let one = FieldElement(l0: 1, l1: 0, l2: 0, l3: 0, l4: 0)

    init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    init(_ small: UInt64) { self.init(l0: small, l1: 0, l2: 0, l3: 0, l4: 0) }

    /// Reads 32 little-endian bytes, ignoring the top bit as RFC 7748 asks.
    init(bytes: some Collection<UInt8>) {
        let b = Array(bytes)
        precondition(b.count == 32, "a field element is 32 bytes")
        func load(_ offset: Int) -> UInt64 {
            var word: UInt64 = 0
            for index in 0..<8 where offset + index < 32 { word |= UInt64(b[offset + index]) << (8 * UInt64(index)) }
            return word
        }
        self.init(
            l0: load(0) & Self.mask, l1: (load(6) >> 3) & Self.mask, l2: (load(12) >> 6) & Self.mask,
            l3: (load(19) >> 1) & Self.mask, l4: (load(24) >> 12) & Self.mask)
    }

    /// The canonical 32 little-endian bytes (fully reduced below p).
    var bytes: [UInt8] {
        var r = carried()
        // r < 2p here; subtract p once when r ≥ p, found by adding 19 and looking at bit 255.
        var q = (r.l0 + 19) >> 51
        q = (r.l1 + q) >> 51
        q = (r.l2 + q) >> 51
        q = (r.l3 + q) >> 51
        q = (r.l4 + q) >> 51
        r.l0 += 19 * q
        r.l1 += r.l0 >> 51; r.l0 &= Self.mask
        r.l2 += r.l1 >> 51; r.l1 &= Self.mask
        r.l3 += r.l2 >> 51; r.l2 &= Self.mask
        r.l4 += r.l3 >> 51; r.l3 &= Self.mask
        r.l4 &= Self.mask
        let words = [r.l0 | r.l1 << 51, r.l1 >> 13 | r.l2 << 38, r.l2 >> 26 | r.l3 << 25, r.l3 >> 39 | r.l4 << 12]
        return words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } }
    }

    var isZero: Bool { bytes.reduce(0, |) == 0 }
    /// The low bit of the canonical value: the "sign" of an Edwards x coordinate.
    var isNegative: Bool { bytes[0] & 1 == 1 }

    /// Limbs brought back under 2^52 after additions.
    func carried() -> FieldElement {
        var r = self
        r.l1 += r.l0 >> 51; r.l0 &= Self.mask
        r.l2 += r.l1 >> 51; r.l1 &= Self.mask
        r.l3 += r.l2 >> 51; r.l2 &= Self.mask
        r.l4 += r.l3 >> 51; r.l3 &= Self.mask
        r.l0 += 19 * (r.l4 >> 51); r.l4 &= Self.mask
        r.l1 += r.l0 >> 51; r.l0 &= Self.mask
        return r
    }

    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(l0: a.l0 + b.l0, l1: a.l1 + b.l1, l2: a.l2 + b.l2, l3: a.l3 + b.l3, l4: a.l4 + b.l4).carried()
    }

    /// a − b as a + 16p − b, so no limb goes below zero (b's limbs stay under 2^55).
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        let b = b.carried()
        return FieldElement(
            l0: a.l0 + 36_028_797_018_963_664 - b.l0, l1: a.l1 + 36_028_797_018_963_952 - b.l1,
            l2: a.l2 + 36_028_797_018_963_952 - b.l2, l3: a.l3 + 36_028_797_018_963_952 - b.l3,
            l4: a.l4 + 36_028_797_018_963_952 - b.l4
        ).carried()
    }

    static prefix func - (a: FieldElement) -> FieldElement { .zero - a }

    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        let a = a.carried(), b = b.carried()
        func m(_ x: UInt64, _ y: UInt64) -> UInt128 { UInt128(x) * UInt128(y) }
        let (b1, b2, b3, b4) = (b.l1 * 19, b.l2 * 19, b.l3 * 19, b.l4 * 19)
        var c0 = m(a.l0, b.l0) + m(a.l4, b1) + m(a.l3, b2) + m(a.l2, b3) + m(a.l1, b4)
        var c1 = m(a.l1, b.l0) + m(a.l0, b.l1) + m(a.l4, b2) + m(a.l3, b3) + m(a.l2, b4)
        var c2 = m(a.l2, b.l0) + m(a.l1, b.l1) + m(a.l0, b.l2) + m(a.l4, b3) + m(a.l3, b4)
        var c3 = m(a.l3, b.l0) + m(a.l2, b.l1) + m(a.l1, b.l2) + m(a.l0, b.l3) + m(a.l4, b4)
        var c4 = m(a.l4, b.l0) + m(a.l3, b.l1) + m(a.l2, b.l2) + m(a.l1, b.l3) + m(a.l0, b.l4)
        let mask = UInt128(Self.mask)
        c1 += c0 >> 51; c0 &= mask
        c2 += c1 >> 51; c1 &= mask
        c3 += c2 >> 51; c2 &= mask
        c4 += c3 >> 51; c3 &= mask
        c0 += (c4 >> 51) * 19; c4 &= mask
        c1 += c0 >> 51; c0 &= mask
        return FieldElement(l0: UInt64(c0), l1: UInt64(c1), l2: UInt64(c2), l3: UInt64(c3), l4: UInt64(c4))
    }

    var squared: FieldElement { self * self }

    /// self^(p − 2) = 1/self (0 for 0), by Fermat; the exponent is public, so its bits may steer.
    var inverted: FieldElement {
        // p − 2 = 2^255 − 21: bits 255…5 set except none, low five bits 01011.
        var result = FieldElement.one
        let exponentLow: UInt64 = 0b01011
        for bit in stride(from: 254, through: 0, by: -1) {
            result = result.squared
            let set = bit >= 5 || (exponentLow >> UInt64(bit)) & 1 == 1
            if set { result = result * self }
        }
        return result
    }

    /// `b` when `choose` is true, else `a`, without branching on `choose`.
    static func select(_ a: FieldElement, _ b: FieldElement, _ choose: Bool) -> FieldElement {
        let mask = 0 &- UInt64(choose ? 1 : 0)
        return FieldElement(
            l0: a.l0 ^ ((a.l0 ^ b.l0) & mask), l1: a.l1 ^ ((a.l1 ^ b.l1) & mask), l2: a.l2 ^ ((a.l2 ^ b.l2) & mask),
            l3: a.l3 ^ ((a.l3 ^ b.l3) & mask), l4: a.l4 ^ ((a.l4 ^ b.l4) & mask))
    }
}
