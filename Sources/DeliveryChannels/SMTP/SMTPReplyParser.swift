import NIOCore

/// One complete server reply; multi-line replies ("250-…" then "250 …") arrive as one value.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " | ") }
}

/// Frames received bytes into `SMTPReply` values.
///
/// A plain parser rather than a pipeline decoder, so the connection can see whether any
/// bytes are still unread when it switches to TLS (see `SMTPClientHandler.hasUnreadInput`).
struct SMTPReplyParser {
    /// RFC 5321 §4.5.3.1.5 caps a reply line at 512 octets; allow slack for sloppy servers
    /// but not unbounded buffering.
    static let maximumLineLength = 4096

    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// The next complete reply in `buffer`, consuming its lines, or nil when more bytes are needed.
    mutating func nextReply(from buffer: inout ByteBuffer) throws -> SMTPReply? {
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            guard var line = buffer.readString(length: newline - buffer.readerIndex) else { return nil }
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }

            let (code, isLast, text) = try Self.parse(line)
            if let pendingCode, pendingCode != code {
                throw SMTPError(.unexpectedReply, step: "reply", detail: "mixed codes in a multi-line reply")
            }
            pendingLines.append(text)
            if isLast {
                defer {
                    pendingCode = nil
                    pendingLines = []
                }
                return SMTPReply(code: code, lines: pendingLines)
            }
            pendingCode = code
        }
        if buffer.readableBytes > Self.maximumLineLength {
            throw SMTPError(.unexpectedReply, step: "reply", detail: "reply line too long")
        }
        return nil
    }

    /// Whether part of a multi-line reply has been read but not yet returned.
    var isMidReply: Bool { pendingCode != nil }

    /// Splits "250-text" / "250 text" / "250" into code, last-line flag and text.
    static func parse(_ line: String) throws -> (Int, Bool, String) {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3,
            bytes[0...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let code = Int(String(decoding: bytes[0...2], as: UTF8.self)),
            (100..<600).contains(code)
        else {
            throw SMTPError(.unexpectedReply, step: "reply", detail: "malformed reply line")
        }
        if bytes.count == 3 { return (code, true, "") }
        let separator = bytes[3]
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPError(.unexpectedReply, step: "reply", detail: "malformed reply line")
        }
        let text = String(decoding: bytes[4...], as: UTF8.self)
        return (code, separator == UInt8(ascii: " "), text)
    }
}
