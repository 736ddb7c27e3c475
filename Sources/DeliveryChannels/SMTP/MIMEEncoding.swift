import Foundation

/// The transfer encodings a 7-bit-clean RFC 5322 message needs.
enum MIMEEncoding {
    /// Turns any mix of CRLF, LF and lone CR into CRLF, the only line ending SMTP allows.
    static func normalizingLineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// Quoted-printable (RFC 2045 §6.7) of the UTF-8 bytes, lines at most 76 characters.
    ///
    /// Hard line breaks stay CRLF; a leading "." is left alone because dot-stuffing at the
    /// transport layer is what protects it.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var lines: [String] = []
        for line in normalizingLineEndings(text).components(separatedBy: "\r\n") {
            let bytes = Array(line.utf8)
            var encoded: [UInt8] = []
            var width = 0
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 32 || byte == 9) && !isLast)
                let token: [UInt8] =
                    literal
                    ? [byte]
                    : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                // 75 leaves room for the "=" of a soft break within the 76-character limit.
                if width + token.count > 75 {
                    encoded += Array("=\r\n".utf8)
                    width = 0
                }
                encoded += token
                width += token.count
            }
            lines.append(String(decoding: encoded, as: UTF8.self))
        }
        return lines.joined(separator: "\r\n")
    }

    /// Whether `text` can stand in a header as it is: printable ASCII that no decoder will
    /// mistake for an encoded-word, short enough to need no folding.
    static func isPlainHeaderText(_ text: String) -> Bool {
        text.utf8.count <= 900
            && text.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
            && !text.contains("=?")
    }

    /// RFC 2047 encoded-words ("=?UTF-8?B?…?="), split on character boundaries so each word
    /// stays within 75 characters, folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        // 45 bytes become 60 base64 characters; with "=?UTF-8?B?" and "?=" that is 72.
        let maxBytes = 45
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > maxBytes, !chunk.isEmpty {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return
            words
            .map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }
            .joined(separator: "\r\n ")
    }

    /// Header text (e.g. Subject) as it goes on the wire.
    static func headerText(_ text: String) -> String {
        isPlainHeaderText(text) ? text : encodedWords(text)
    }

    /// A display name as an RFC 5322 phrase: a quoted-string when ASCII, else encoded-words.
    static func displayName(_ name: String) -> String {
        guard isPlainHeaderText(name) else { return encodedWords(name) }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// The DATA payload: lines starting with "." get a second one (RFC 5321 §4.5.2),
    /// then the terminating "<CRLF>.<CRLF>".
    static func dotStuffed(_ message: String) -> String {
        let lines = normalizingLineEndings(message).components(separatedBy: "\r\n")
        let stuffed = lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
        let body = stuffed.hasSuffix("\r\n") ? stuffed : stuffed + "\r\n"
        return body + ".\r\n"
    }
}
