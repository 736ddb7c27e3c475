/// One e-mail to one recipient.
public struct SMTPMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    /// When set, the mail is multipart/alternative with this as the preferred part.
    public var html: String?

    public init(to: String, subject: String, text: String, html: String? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
    }
}
