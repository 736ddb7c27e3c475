import Foundation

/// A wire type that writes its own JSON bytes, exactly as `EntativaJSON.encoder()` would
/// (sorted snake_case keys, absent optionals left out, the same string escapes, number and
/// timestamp formats). Foundation's encoder builds a tree of boxed values before it writes
/// anything; on a page of twenty posts that was half the server's time. Each conformance
/// writes its keys in sorted order by hand, and `WireWritingTests` compares every conforming
/// type byte for byte with the encoder, so the two cannot drift apart.
public protocol JSONWritable: Encodable {
    func writeJSON(to writer: inout JSONByteWriter)
}

extension JSONWritable {
    /// The same bytes `EntativaJSON.encoder().encode(self)` gives.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONByteWriter()
        writeJSON(to: &writer)
        return writer.bytes
    }
}

public struct JSONByteWriter {
    public private(set) var bytes: [UInt8] = []
    /// True right after a complete value, so the next key needs a comma before it; an opening
    /// brace or bracket clears it.
    private var afterValue = false

    public init(capacity: Int = 1_024) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Objects

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        afterValue = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        afterValue = true
    }

    /// Writes `"key":`. Keys are the snake_case names of stored properties: plain ASCII that
    /// needs no escaping, so they are copied as they are.
    public mutating func key(_ name: StaticString) {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterValue = false
    }

    /// A key whose text comes from data (dictionary keys), escaped as any string.
    public mutating func key(dynamic name: String) {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        afterValue = false
    }

    // MARK: Arrays

    public mutating func array<Element>(_ elements: [Element], _ writeElement: (inout JSONByteWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
            writeElement(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
        afterValue = true
    }

    public mutating func array(_ elements: [some JSONWritable]) {
        array(elements) { writer, element in element.writeJSON(to: &writer) }
    }

    public mutating func array(_ strings: [String]) {
        array(strings) { writer, element in writer.string(element) }
    }

    // MARK: Scalars

    public mutating func null() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        afterValue = true
    }

    public mutating func bool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
        afterValue = true
    }

    public mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(value.magnitude)
        } else {
            unsigned(UInt(value))
        }
        afterValue = true
    }

    /// Foundation writes a `Double` as its `description`, without a trailing `.0`.
    public mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        afterValue = true
    }

    /// Identifiers are decimal strings on the wire: JavaScript cannot hold 64 bits exactly.
    public mutating func identifier<Entity>(_ id: Identifier<Entity>) {
        bytes.append(UInt8(ascii: "\""))
        unsigned(UInt(id.rawValue.magnitude))
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    public mutating func timestamp(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        TimestampFormat.write(date, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    /// Escapes as Foundation does: quote, backslash and C0 controls (short forms where JSON has
    /// them, `\u00xx` otherwise); slashes and every other character pass through as UTF-8.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                runStart = index + 1
                appendEscape(for: byte)
            }
            if utf8.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    public mutating func rawValue<Value: RawRepresentable<String>>(_ value: Value) {
        string(value.rawValue)
    }

    // MARK: Helpers

    private mutating func appendEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(Self.lowercaseHex[Int(byte >> 4)])
            bytes.append(Self.lowercaseHex[Int(byte & 0x0F)])
        }
    }

    private static let lowercaseHex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func unsigned(_ value: UInt) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of the largest UInt64
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = value
            var position = buffer.count
            while remaining > 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position...]))
        }
    }
}
