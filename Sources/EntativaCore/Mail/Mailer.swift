import Foundation
import Logging
import SQLKit

public struct OutgoingMail: Codable, Sendable, Equatable {
    public var to: String
    public var subject: String
    /// The plain-text part; every mail has one.
    public var body: String
    /// The HTML alternative, when the mail has one.
    public var html: String?

    public init(to: String, subject: String, body: String, html: String? = nil) {
        self.to = to
        self.subject = subject
        self.body = body
        self.html = html
    }
}

/// Delivers one mail: over SMTP when a relay is configured, otherwise to the log.
public protocol MailSender: Sendable {
    func send(_ mail: OutgoingMail) async throws
}

/// Writes each mail to the log, so a single-machine deployment can read its links there.
public struct LoggingMailSender: MailSender {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func send(_ mail: OutgoingMail) async throws {
        logger.notice("mail", metadata: ["to": "\(mail.to)", "subject": "\(mail.subject)", "body": "\(mail.body)"])
    }
}

/// Mail goes out through the job queue: written in the transaction that caused it, sent after
/// commit, retried when the sender fails.
public struct Mailer: Sendable {
    static let job = JobDefinition<OutgoingMail>("mail.send", maxAttempts: 10)
    let jobs: JobQueue

    public init(jobs: JobQueue, sender: any MailSender) {
        self.jobs = jobs
        jobs.register(Self.job) { mail in try await sender.send(mail) }
    }

    public func enqueue(_ mail: OutgoingMail, on database: any SQLDatabase) async throws {
        try await jobs.enqueue(Self.job, mail, on: database)
    }
}
