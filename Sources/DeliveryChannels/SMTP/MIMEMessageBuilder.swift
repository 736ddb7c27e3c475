import Foundation

/// Renders an `SMTPMessage` as an RFC 5322 / MIME document with CRLF line endings.
struct MIMEMessageBuilder {
    var from: String
    var fromName: String?
    var date: Date
    var messageIDLocalPart: String
    var boundary: String

    init(
        from: String,
        fromName: String?,
        date: Date = Date(),
        messageIDLocalPart: String = UUID().uuidString.lowercased(),
        boundary: String = "=_entativa_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    ) {
        self.from = from
        self.fromName = fromName
        self.date = date
        self.messageIDLocalPart = messageIDLocalPart
        self.boundary = boundary
    }

    func render(_ message: SMTPMessage) throws(SMTPError) -> String {
        try SMTPAddress.validate(from, role: "from")
        try SMTPAddress.validate(message.to, role: "to")
        try Self.rejectLineBreaks(message.subject, field: "subject")
        if let fromName { try Self.rejectLineBreaks(fromName, field: "from name") }

        var headers = [
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageIDLocalPart)@\(SMTPAddress.domain(of: from))>",
            "From: \(fromName.map { MIMEEncoding.displayName($0) + " " } ?? "")<\(from)>",
            "To: <\(message.to)>",
            "Subject: \(MIMEEncoding.headerText(message.subject))",
            "MIME-Version: 1.0",
        ]
        let body: String
        if let html = message.html {
            headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            // The leading "" is the blank line that ends the header block.
            body = [
                "",
                "--\(boundary)",
                Self.textPart(message.text, subtype: "plain"),
                "--\(boundary)",
                Self.textPart(html, subtype: "html"),
                "--\(boundary)--",
                "",
            ].joined(separator: "\r\n")
        } else {
            // SMTP needs a final CRLF that a reader would take as part of the text; ending on a
            // quoted-printable soft break ("=") keeps the decoded text exactly as given.
            body = Self.textPart(message.text, subtype: "plain") + "=\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n" + body
    }

    /// Part headers, a blank line, and the quoted-printable content.
    private static func textPart(_ text: String, subtype: String) -> String {
        [
            "Content-Type: text/\(subtype); charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIMEEncoding.quotedPrintable(text),
        ].joined(separator: "\r\n")
    }

    /// Header injection guard: a CR or LF would let user text start a new header.
    private static func rejectLineBreaks(_ value: String, field: String) throws(SMTPError) {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw SMTPError(.invalidMessage, step: "compose", detail: "\(field) contains a line break")
        }
    }

    /// RFC 5322 §3.3 date-time, always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// Checks on envelope addresses, which go into commands and headers unquoted.
enum SMTPAddress {
    /// Accepts a plain ASCII `local@domain`; anything that could break out of `<…>` or a
    /// command line (CR, LF, spaces, angle brackets, commas) is refused.
    static func validate(_ address: String, role: String) throws(SMTPError) {
        let forbidden: Set<UInt8> = Set("<>,;:\"()[]\\ ".utf8)
        let bytes = Array(address.utf8)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let valid =
            !bytes.isEmpty && bytes.count <= 254
            && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }
            && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && parts[0].utf8.count <= 64
        if !valid {
            throw SMTPError(.invalidMessage, step: "compose", detail: "invalid \(role) address")
        }
    }

    static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
