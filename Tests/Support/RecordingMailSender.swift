import EntativaCore
import Foundation
import Synchronization

/// Keeps every mail "sent", so tests can read links and tokens out of them.
public final class RecordingMailSender: MailSender {
    private let mails = Mutex<[OutgoingMail]>([])

    public init() {}

    public func send(_ mail: OutgoingMail) async throws {
        mails.withLock { $0.append(mail) }
    }

    public var sent: [OutgoingMail] { mails.withLock { $0 } }

    /// The token in the link of the newest mail to `address` whose subject contains `subject`.
    public func lastToken(to address: String, subjectContaining subject: String = "") -> String? {
        guard let mail = sent.last(where: { $0.to == address && (subject.isEmpty || $0.subject.contains(subject)) }) else { return nil }
        guard let range = mail.body.range(of: "token=") else { return nil }
        return String(mail.body[range.upperBound...].prefix { !$0.isWhitespace && $0 != "\n" })
    }
}
