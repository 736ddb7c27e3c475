/// Why a mail was not handed over, and whether trying again could help.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The message or configuration is unusable (bad address, CR/LF in a header).
        case invalidMessage
        /// The server answered with this reply code where success was expected.
        case reply(code: Int)
        /// The server gave a reply this client cannot follow.
        case unexpectedReply
        /// `startTLSRequired` but the server does not offer STARTTLS.
        case startTLSUnavailable
        /// Credentials are configured but the link is not encrypted, or no mechanism we speak is offered.
        case authenticationUnavailable
        case timeout
        /// Connect failure, reset, or close in mid-conversation.
        case connection
        /// TLS handshake or certificate failure.
        case tls
    }

    public var kind: Kind
    /// The protocol step that failed ("greeting", "EHLO", "RCPT TO" …).
    public var step: String
    public var detail: String

    public init(_ kind: Kind, step: String, detail: String) {
        self.kind = kind
        self.step = step
        self.detail = detail
    }

    /// True when retrying the same mail cannot succeed without a change by a person.
    ///
    /// RFC 5321 §4.2.1: 5yz replies are permanent and 4yz transient. Network, timeout and TLS
    /// failures are treated as transient: the job queue's backoff and dead-letter cap them.
    public var isPermanent: Bool {
        switch kind {
        case .reply(let code): code >= 500
        case .invalidMessage, .startTLSUnavailable, .authenticationUnavailable: true
        case .unexpectedReply, .timeout, .connection, .tls: false
        }
    }

    public var description: String {
        switch kind {
        case .reply(let code): "SMTP \(step) failed with \(code): \(detail)"
        default: "SMTP \(step) failed (\(kind)): \(detail)"
        }
    }
}
