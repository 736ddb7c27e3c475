/// The one place where text from outside is screened for what no field may hold: NUL and the
/// other C0 control characters (tab, line feed and carriage return excepted — single-line fields
/// refuse those in `Validator`), and unpaired UTF-16 surrogates written as `\u` escapes.
/// PostgreSQL cannot store NUL at all and SQLite would store it silently; either way the answer
/// is a 422 that names the field, before anything is decoded or written.
public enum TextScreen {
    public struct Finding: Sendable, Equatable {
        public var field: String
        public var code: String
        public var message: String
    }

    static let controlMessage = "must not contain NUL or other control characters"
    static let surrogateMessage = "must not contain unpaired UTF-16 surrogates"

    /// True for a scalar no text field may hold.
    public static func isForbidden(_ scalar: Unicode.Scalar, allowingLineBreaks: Bool = true) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: !allowingLineBreaks
        case 0x00..<0x20, 0x7F: true
        default: false
        }
    }

    /// The first forbidden character in a query parameter or form field, if any.
    public static func check(_ value: some StringProtocol, field: String) -> Finding? {
        value.unicodeScalars.contains { isForbidden($0, allowingLineBreaks: false) }
            ? Finding(field: field, code: "control_character", message: controlMessage) : nil
    }

    /// Walks a JSON document's strings (keys and values) and reports the first bad one with its
    /// path (`links.2`, `quiet_hours.time_zone`). The walk tracks structure only loosely: a
    /// document that is not JSON at all is left to the decoder, which answers 400.
    public static func check(json bytes: some Collection<UInt8>) -> Finding? {
        var walker = JSONWalker()
        return walker.walk(Array(bytes))
    }
}

private struct JSONWalker {
    enum Frame {
        case object(key: String?, expectingKey: Bool)
        case array(index: Int)
    }

    var stack: [Frame] = []

    mutating func walk(_ bytes: [UInt8]) -> TextScreen.Finding? {
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"): stack.append(.object(key: nil, expectingKey: true))
            case UInt8(ascii: "["): stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                switch stack.last {
                case .array(let position): stack[stack.count - 1] = .array(index: position + 1)
                case .object(let key, _): stack[stack.count - 1] = .object(key: key, expectingKey: true)
                case nil: break
                }
            case UInt8(ascii: ":"):
                if case .object(let key, _) = stack.last { stack[stack.count - 1] = .object(key: key, expectingKey: false) }
            case UInt8(ascii: "\""):
                let string = readString(bytes, from: index + 1)
                if case .object(_, true) = stack.last {
                    stack[stack.count - 1] = .object(key: string.text, expectingKey: false)
                }
                if let problem = string.problem { return TextScreen.Finding(field: path(), code: problem.code, message: problem.message) }
                index = string.end
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The path of the value being read: keys in snake case as sent, array positions as numbers.
    func path() -> String {
        stack.compactMap { frame -> String? in
            switch frame {
            case .object(let key, _): key
            case .array(let index): String(index)
            }
        }.joined(separator: ".")
    }

    struct ReadString {
        var text: String
        var end: Int
        var problem: (code: String, message: String)?
    }

    /// Reads a string body starting after its opening quote; `end` is its closing quote.
    func readString(_ bytes: [UInt8], from start: Int) -> ReadString {
        var utf8: [UInt8] = []
        var problem: (code: String, message: String)?
        var index = start
        func flag(_ code: String, _ message: String) { if problem == nil { problem = (code, message) } }
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                if byte < 0x20, let scalar = Unicode.Scalar(UInt32(byte)), TextScreen.isForbidden(scalar) {
                    flag("control_character", TextScreen.controlMessage)
                }
                utf8.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "u"):
                guard let unit = hex(bytes, at: index) else { continue }
                index += 4
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                        let low = hex(bytes, at: index + 2), (0xDC00...0xDFFF).contains(low)
                    {
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        index += 6
                    } else {
                        flag("unpaired_surrogate", TextScreen.surrogateMessage)
                        continue
                    }
                } else if (0xDC00...0xDFFF).contains(unit) {
                    flag("unpaired_surrogate", TextScreen.surrogateMessage)
                    continue
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { continue }
                if TextScreen.isForbidden(scalar) { flag("control_character", TextScreen.controlMessage) }
                utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
            case UInt8(ascii: "b"), UInt8(ascii: "f"):
                flag("control_character", TextScreen.controlMessage)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            default: utf8.append(escape)
            }
        }
        return ReadString(text: String(decoding: utf8, as: UTF8.self), end: index, problem: problem)
    }

    func hex(_ bytes: [UInt8], at start: Int) -> UInt16? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[start..<(start + 4)] {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
