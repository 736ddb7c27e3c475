import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Hands mail to an SMTP relay, one connection per message.
///
/// One connection per mail keeps failure isolated and the state machine simple; the volume
/// of account mail (verification, resets, digests) does not need connection reuse.
public struct SMTPMailSender: Sendable {
    public let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    private let tlsContext: NIOSSLContext
    private let logger: Logger

    /// Fails when the TLS settings cannot be built (for instance an unreadable `trustedCAFile`).
    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "entativa.smtp")
    ) throws {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
        self.tlsContext = try NIOSSLContext(
            configuration: ChannelTLS.clientConfiguration(trustedCAFile: configuration.trustedCAFile)
        )
    }

    /// Delivers `mail` to the relay or throws an `SMTPError` saying whether a retry can help.
    public func send(_ mail: SMTPMessage) async throws(SMTPError) {
        let rendered = try MIMEMessageBuilder(from: configuration.from, fromName: configuration.fromName)
            .render(mail)
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.connect(
                host: configuration.host,
                port: configuration.port,
                implicitTLS: configuration.security == .implicitTLS ? tlsContext : nil,
                group: group,
                timeout: configuration.connectTimeout
            )
        } catch {
            throw Self.smtpError(error, step: "connect")
        }
        do {
            try await converse(on: connection, to: mail.to, message: rendered)
            await connection.close()
        } catch {
            await connection.close()
            let failure = Self.smtpError(error, step: "conversation")
            logger.warning("SMTP delivery failed", metadata: ["error": "\(failure)"])
            throw failure
        }
    }

    private func converse(on connection: SMTPConnection, to recipient: String, message: String) async throws {
        let timeout = configuration.commandTimeout
        try expect(await connection.command(nil, step: "greeting", timeout: timeout), 220, step: "greeting")
        var extensions = try await hello(on: connection)
        var encrypted = configuration.security == .implicitTLS

        if !encrypted, configuration.security != .none {
            if extensions.offers("STARTTLS") {
                try expect(await connection.command("STARTTLS", step: "STARTTLS", timeout: timeout), 220, step: "STARTTLS")
                try await connection.startTLS(context: tlsContext)
                encrypted = true
                // RFC 3207 §4.2: everything learnt before TLS is discarded and EHLO repeated.
                extensions = try await hello(on: connection)
            } else if configuration.security == .startTLSRequired {
                throw SMTPError(.startTLSUnavailable, step: "STARTTLS", detail: "server does not offer STARTTLS")
            }
        }

        if let username = configuration.username, let password = configuration.password,
            let mechanisms = extensions.parameters("AUTH")
        {
            guard encrypted || configuration.security == .none else {
                throw SMTPError(.authenticationUnavailable, step: "AUTH", detail: "refusing to send credentials without TLS")
            }
            try await authenticate(on: connection, mechanisms: mechanisms, username: username, password: password)
        }

        try expect(await connection.command("MAIL FROM:<\(configuration.from)>", step: "MAIL FROM", timeout: timeout), 250, step: "MAIL FROM")
        let rcpt = try await connection.command("RCPT TO:<\(recipient)>", step: "RCPT TO", timeout: timeout)
        try expect(rcpt, rcpt.code == 251 ? 251 : 250, step: "RCPT TO")
        try expect(await connection.command("DATA", step: "DATA", timeout: timeout), 354, step: "DATA")
        let body = connection.channel.allocator.buffer(string: MIMEEncoding.dotStuffed(message))
        try expect(await connection.exchange(body, step: "message", timeout: configuration.dataTimeout), 250, step: "message")
        // The mail is accepted; a failed QUIT must not turn that into an error and a duplicate.
        _ = try? await connection.command("QUIT", step: "QUIT", timeout: .seconds(5))
    }

    /// EHLO, or HELO for a server that does not know EHLO (RFC 5321 §3.2).
    private func hello(on connection: SMTPConnection) async throws -> SMTPExtensions {
        let timeout = configuration.commandTimeout
        let ehlo = try await connection.command("EHLO \(configuration.heloName)", step: "EHLO", timeout: timeout)
        if ehlo.code == 250 {
            return SMTPExtensions(ehloReply: ehlo)
        }
        if ehlo.code >= 500 {
            try expect(await connection.command("HELO \(configuration.heloName)", step: "HELO", timeout: timeout), 250, step: "HELO")
            return SMTPExtensions(ehloReply: nil)
        }
        throw Self.replyError(ehlo, step: "EHLO")
    }

    /// AUTH PLAIN (RFC 4616) when offered, else AUTH LOGIN.
    private func authenticate(on connection: SMTPConnection, mechanisms: [String], username: String, password: String) async throws {
        let timeout = configuration.commandTimeout
        let base64 = { (text: String) in Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            let token = base64("\0\(username)\0\(password)")
            try expect(await connection.command("AUTH PLAIN \(token)", step: "AUTH", timeout: timeout), 235, step: "AUTH")
        } else if mechanisms.contains("LOGIN") {
            try expect(await connection.command("AUTH LOGIN", step: "AUTH", timeout: timeout), 334, step: "AUTH")
            try expect(await connection.command(base64(username), step: "AUTH", timeout: timeout), 334, step: "AUTH")
            try expect(await connection.command(base64(password), step: "AUTH", timeout: timeout), 235, step: "AUTH")
        } else {
            throw SMTPError(.authenticationUnavailable, step: "AUTH", detail: "no supported mechanism in \(mechanisms)")
        }
    }

    private func expect(_ reply: SMTPReply, _ code: Int, step: String) throws {
        guard reply.code == code else { throw Self.replyError(reply, step: step) }
    }

    private static func replyError(_ reply: SMTPReply, step: String) -> SMTPError {
        let kind: SMTPError.Kind = reply.code >= 400 ? .reply(code: reply.code) : .unexpectedReply
        return SMTPError(kind, step: step, detail: "\(reply.code) \(reply.text)")
    }

    private static func smtpError(_ error: any Error, step: String) -> SMTPError {
        if let error = error as? SMTPError { return error }
        return SMTPError(.connection, step: step, detail: "\(error)")
    }
}

/// The service extensions announced in an EHLO reply (RFC 5321 §4.1.1.1).
struct SMTPExtensions: Sendable {
    private var keywords: [String: [String]] = [:]

    init(ehloReply: SMTPReply?) {
        // The first line is the greeting; each further line is "KEYWORD [params…]".
        for line in ehloReply?.lines.dropFirst() ?? [] {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            keywords[keyword] = Array(words.dropFirst())
        }
    }

    func offers(_ keyword: String) -> Bool { keywords[keyword] != nil }
    func parameters(_ keyword: String) -> [String]? { keywords[keyword] }
}
