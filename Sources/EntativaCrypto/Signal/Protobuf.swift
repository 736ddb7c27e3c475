/// The few protobuf encodings libsignal's messages use (varints and length-delimited bytes),
/// written by hand: two small messages do not need a generated-code dependency.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ field: Int, _ value: UInt64) {
        key(field, wireType: 0)
        append(varint: value)
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        append(varint: UInt64(value.count))
        bytes += value
    }

    private mutating func key(_ field: Int, wireType: UInt64) { append(varint: UInt64(field) << 3 | wireType) }

    private mutating func append(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

/// Reads the fields of one message; unknown fields are skipped, as protobuf requires.
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case bytes([UInt8])
    }

    struct Malformed: Error {}

    /// Every field by number (the last occurrence wins, as protobuf says for scalars).
    static func fields(of bytes: [UInt8]) throws -> [Int: Value] {
        var fields: [Int: Value] = [:]
        var index = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while index < bytes.count {
            let key = try varint()
            guard let field = Int(exactly: key >> 3), field > 0 else { throw Malformed() }
            switch key & 7 {
            case 0:
                fields[field] = .varint(try varint())
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.count - index) else { throw Malformed() }
                fields[field] = .bytes(Array(bytes[index..<index + Int(length)]))
                index += Int(length)
            case 1:
                guard bytes.count - index >= 8 else { throw Malformed() }
                index += 8
            case 5:
                guard bytes.count - index >= 4 else { throw Malformed() }
                index += 4
            default:
                throw Malformed()
            }
        }
        return fields
    }
}

extension Dictionary where Key == Int, Value == ProtobufReader.Value {
    func uint32(_ field: Int) -> UInt32? {
        guard case .varint(let value)? = self[field] else { return nil }
        return UInt32(exactly: value)
    }

    func bytes(_ field: Int) -> [UInt8]? {
        guard case .bytes(let value)? = self[field] else { return nil }
        return value
    }
}
