/// A point of the twisted Edwards curve −x² + y² = 1 + d·x²·y² (edwards25519) in extended
/// coordinates (x = X/Z, y = Y/Z, x·y = T/Z). Only what signing needs: addition, multiplication
/// by a secret scalar in constant time, and the 32-byte encoding.
struct EdwardsPoint: Sendable {
    var x, y, z, t: FieldElement

    static let identity = EdwardsPoint(x: .zero, y: .one, z: .one, t: .zero)

    /// d = −121665/121666.
    static let d: FieldElement = -(FieldElement(121_665) * FieldElement(121_666).inverted)
    static let doubleD: FieldElement = d + d

    /// The base point B of RFC 8032 (y = 4/5, x even).
    static let base: EdwardsPoint = {
        let x = FieldElement(bytes: hexBytes("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921"))
        let y = FieldElement(bytes: hexBytes("5866666666666666666666666666666666666666666666666666666666666666"))
        return EdwardsPoint(x: x, y: y, z: .one, t: x * y)
    }()

    /// Unified addition (Hisil–Wong–Carter–Dawson, a = −1): also right for doubling and the identity.
    static func + (p: EdwardsPoint, q: EdwardsPoint) -> EdwardsPoint {
        let a = (p.y - p.x) * (q.y - q.x)
        let b = (p.y + p.x) * (q.y + q.x)
        let c = p.t * doubleD * q.t
        let dd = (p.z + p.z) * q.z
        let (e, f, g, h) = (b - a, dd - c, dd + c, b + a)
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// scalar·self for a 32-byte little-endian scalar: double and add always, choosing the sum
    /// by a mask, so the time does not depend on the scalar's bits.
    func multiplied(by scalar: [UInt8]) -> EdwardsPoint {
        precondition(scalar.count == 32, "a scalar is 32 bytes")
        var result = EdwardsPoint.identity
        for bit in stride(from: 255, through: 0, by: -1) {
            result = result + result
            let sum = result + self
            let set = (scalar[bit >> 3] >> UInt8(bit & 7)) & 1 == 1
            result = EdwardsPoint(
                x: .select(result.x, sum.x, set), y: .select(result.y, sum.y, set), z: .select(result.z, sum.z, set),
                t: .select(result.t, sum.t, set))
        }
        return result
    }

    /// y with the sign of x in the top bit (RFC 8032 §5.1.2).
    var encoded: [UInt8] {
        let inverse = z.inverted
        var bytes = (y * inverse).bytes
        if (x * inverse).isNegative { bytes[31] |= 0x80 }
        return bytes
    }

    /// Whether the point satisfies the curve equation (a check for tests and constants).
    var isOnCurve: Bool {
        let inverse = z.inverted
        let (ax, ay) = (x * inverse, y * inverse)
        let (xx, yy) = (ax.squared, ay.squared)
        return (yy - xx - .one - Self.d * xx * yy).isZero
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
