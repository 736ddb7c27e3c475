import EntativaCore
import Foundation

/// The mails notifications send: one notification, or a digest of several. Each has a text part
/// and an HTML part with the same content; every value is escaped for HTML.
enum NotificationEmail {
    static func single(_ content: PushContent, to address: String, username: String, instance: String, link: String) -> OutgoingMail {
        let text = """
            Hi \(username),

            \(content.body).

            Open \(instance): \(link)

            You get this mail because of your notification settings; change them in the app.
            """
        return OutgoingMail(
            to: address, subject: "\(instance): \(content.body)", body: text,
            html: page(instance: instance, title: content.body, items: [content.body], username: username, link: link))
    }

    static func digest(_ lines: [String], to address: String, username: String, instance: String, period: String, link: String) -> OutgoingMail {
        let text = """
            Hi \(username),

            Your \(period) summary from \(instance):

            \(lines.map { "- \($0)" }.joined(separator: "\n"))

            Open \(instance): \(link)
            """
        let title = "\(lines.count) new notification\(lines.count == 1 ? "" : "s")"
        return OutgoingMail(
            to: address, subject: "\(instance): your \(period) summary — \(title)", body: text,
            html: page(instance: instance, title: title, items: lines, username: username, link: link))
    }

    private static func page(instance: String, title: String, items: [String], username: String, link: String) -> String {
        let list = items.map { "<li style=\"margin:4px 0\">\(escape($0))</li>" }.joined()
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(escape(title))</title></head>
            <body style="font-family:sans-serif;color:#222">
            <p>Hi \(escape(username)),</p>
            <ul>\(list)</ul>
            <p><a href="\(escape(link))">Open \(escape(instance))</a></p>
            <p style="color:#777;font-size:12px">You get this mail because of your notification settings.</p>
            </body></html>
            """
    }

    static func escape(_ text: String) -> String { HTMLPage.escape(text) }
}
