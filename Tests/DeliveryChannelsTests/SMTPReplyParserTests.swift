import NIOCore
import Testing

@testable import DeliveryChannels

@Suite("SMTP reply framing")
struct SMTPReplyParserTests {
    @Test("joins multi-line replies and splits pipelined ones across reads")
    func framing() throws {
        // given
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250-peer.test Hello\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n220 go")
        // when
        let ehlo = try #require(try parser.nextReply(from: &buffer))
        #expect(try parser.nextReply(from: &buffer) == nil)
        buffer.writeString(" ahead\n")
        let tls = try #require(try parser.nextReply(from: &buffer))
        // then
        #expect(ehlo == SMTPReply(code: 250, lines: ["peer.test Hello", "STARTTLS", "AUTH PLAIN LOGIN"]))
        #expect(tls == SMTPReply(code: 220, lines: ["go ahead"]))
        #expect(buffer.readableBytes == 0 && !parser.isMidReply)
        #expect(SMTPExtensions(ehloReply: ehlo).parameters("AUTH") == ["PLAIN", "LOGIN"])
        #expect(SMTPExtensions(ehloReply: ehlo).offers("STARTTLS"))
    }

    @Test("rejects garbage instead of guessing", arguments: ["hello\r\n", "25\r\n", "250x\r\n", "999 no\r\n", "250-a\r\n251 b\r\n"])
    func garbage(line: String) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: line)
        #expect(throws: SMTPError.self) {
            while try parser.nextReply(from: &buffer) != nil {}
        }
    }

    @Test("refuses an endless line")
    func endlessLine() {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250 " + String(repeating: "x", count: 5000))
        #expect(throws: SMTPError.self) { try parser.nextReply(from: &buffer) }
    }
}
