import DeliveryChannels
import EntativaCore
import Logging

/// Hands the mail queue's mails to the configured SMTP relay. A temporary refusal throws, so the
/// job retries with back-off; a permanent one (an address the relay rejects) is logged and
/// dropped, as retrying cannot help.
struct SMTPMailRelay: MailSender {
    let sender: SMTPMailSender
    let logger: Logger

    init(settings: SMTPSettings, logger: Logger) throws {
        let security: SMTPConfiguration.Security =
            switch settings.security {
            case .starttls: .startTLSIfOffered
            case .starttlsRequired: .startTLSRequired
            case .tls: .implicitTLS
            case .none: .none
            }
        sender = try SMTPMailSender(
            configuration: SMTPConfiguration(
                host: settings.host, port: settings.port, username: settings.username, password: settings.password, from: settings.from,
                security: security, trustedCAFile: settings.caFile),
            logger: logger)
        self.logger = logger
    }

    func send(_ mail: OutgoingMail) async throws {
        let message = SMTPMessage(to: mail.to, subject: mail.subject, text: mail.body, html: mail.html)
        let failure: SMTPError?
        do {
            try await sender.send(message)
            failure = nil
        } catch {
            failure = error
        }
        guard let failure else { return }
        guard failure.isPermanent else { throw failure }
        logger.error("the SMTP relay refused a mail for good", metadata: ["to": "\(mail.to)", "error": "\(failure)"])
    }
}
