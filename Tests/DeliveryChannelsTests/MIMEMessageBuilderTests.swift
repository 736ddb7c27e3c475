import Foundation
import Testing

@testable import DeliveryChannels

@Suite("RFC 5322 / MIME rendering")
struct MIMEMessageBuilderTests {
    let builder = MIMEMessageBuilder(
        from: "noreply@entativa.test",
        fromName: "Entativa",
        date: Date(timeIntervalSince1970: 1_700_000_000),
        messageIDLocalPart: "fixed",
        boundary: "=_b"
    )

    @Test("renders headers and both parts with CRLF only")
    func rendersMultipart() throws {
        let rendered = try builder.render(SMTPMessage(to: "a@example.org", subject: "Hi", text: "x\ny", html: "<p>x</p>"))
        #expect(rendered.hasPrefix("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <fixed@entativa.test>\r\n"))
        #expect(rendered.contains("From: \"Entativa\" <noreply@entativa.test>\r\nTo: <a@example.org>\r\nSubject: Hi\r\n"))
        #expect(rendered.contains("Content-Type: multipart/alternative; boundary=\"=_b\"\r\n\r\n--=_b\r\n"))
        #expect(rendered.hasSuffix("--=_b--\r\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test(
        "refuses CR or LF where it would start a header",
        arguments: [
            SMTPMessage(to: "a@example.org", subject: "x\r\nBcc: b@example.org", text: ""),
            SMTPMessage(to: "a@example.org\nBcc: b@example.org", subject: "x", text: ""),
            SMTPMessage(to: "a@example.org>, <b@example.org", subject: "x", text: ""),
            SMTPMessage(to: "no-at-sign", subject: "x", text: ""),
        ])
    func headerInjection(message: SMTPMessage) {
        #expect(throws: SMTPError.self) { try builder.render(message) }
    }

    @Test("encodes non-ASCII subjects as RFC 2047 words of at most 75 characters")
    func encodedWords() {
        let encoded = MIMEEncoding.headerText(String(repeating: "Größe ", count: 30))
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        #expect(MIMEEncoding.headerText("plain") == "plain")
        #expect(MIMEEncoding.headerText("looks =?like?= a word").hasPrefix("=?UTF-8?B?"))
    }

    @Test("quoted-printable keeps lines within 76 characters and protects trailing space")
    func quotedPrintable() {
        let encoded = MIMEEncoding.quotedPrintable(String(repeating: "ä", count: 100) + " \nend = ok ")
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.contains("=20"))
        #expect(lines.last == "end =3D ok=20")
    }

    @Test("dot-stuffs and terminates the DATA payload")
    func dotStuffing() {
        #expect(MIMEEncoding.dotStuffed(".a\r\nb\r\n.\r\n") == "..a\r\nb\r\n..\r\n.\r\n")
        #expect(MIMEEncoding.dotStuffed("no newline") == "no newline\r\n.\r\n")
    }

    @Test("classifies failures by RFC 5321 reply class")
    func permanence() {
        #expect(SMTPError(.reply(code: 550), step: "RCPT TO", detail: "").isPermanent)
        #expect(!SMTPError(.reply(code: 451), step: "DATA", detail: "").isPermanent)
        #expect(!SMTPError(.timeout, step: "greeting", detail: "").isPermanent)
        #expect(SMTPError(.invalidMessage, step: "compose", detail: "").isPermanent)
    }
}
