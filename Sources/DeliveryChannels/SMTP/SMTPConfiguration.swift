/// Where and how to hand mail to an SMTP relay.
public struct SMTPConfiguration: Sendable {
    /// How the connection is protected.
    public enum Security: Sendable, Equatable {
        /// Upgrade with STARTTLS when the server offers it, else continue in the clear
        /// (credentials are still never sent in the clear).
        case startTLSIfOffered
        /// Fail unless the server offers STARTTLS (port 587 submission).
        case startTLSRequired
        /// Never use TLS; only for relays on a trusted local network.
        case none
        /// TLS from the first byte (port 465, "SMTPS").
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// The envelope sender and `From:` address.
    public var from: String
    public var fromName: String?
    public var security: Security
    /// PEM roots trusted in addition to the system's, for private relays and tests.
    public var trustedCAFile: String?
    /// The name this client announces in EHLO/HELO.
    public var heloName: String
    public var connectTimeout: Duration
    /// Limit for each command's reply.
    public var commandTimeout: Duration
    /// Limit for the reply after the message body; servers may scan mail before answering.
    public var dataTimeout: Duration

    public init(
        host: String,
        port: Int = 587,
        username: String? = nil,
        password: String? = nil,
        from: String,
        fromName: String? = nil,
        security: Security = .startTLSIfOffered,
        trustedCAFile: String? = nil,
        heloName: String = "localhost",
        connectTimeout: Duration = .seconds(15),
        commandTimeout: Duration = .seconds(60),
        dataTimeout: Duration = .seconds(180)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.from = from
        self.fromName = fromName
        self.security = security
        self.trustedCAFile = trustedCAFile
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.dataTimeout = dataTimeout
    }
}
