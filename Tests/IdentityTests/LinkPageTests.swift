import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Mailed link pages")
struct LinkPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// The path and query of the link in the newest mail to `address`.
    func link(_ app: TestApp, to address: String, subject: String) throws -> String {
        let mail = try #require(app.mail.sent.last { $0.to == address && $0.subject.contains(subject) })
        let start = try #require(mail.body.range(of: "http"))
        let url = String(mail.body[start.lowerBound...].prefix { !$0.isWhitespace })
        let components = try #require(URLComponents(string: url))
        return components.path + "?" + (components.query ?? "")
    }

    @Test("The verification link opens a page (opening alone changes nothing); submitting it confirms the address once")
    func verifyEmailPage() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("verify_me")
            try await app.runJobs()
            let path = try link(app, to: "verify_me@example.com", subject: "Confirm")
            #expect(path.hasPrefix("/verify-email?token="))
            let page = try await api.get(path)
            #expect(page.status == 200)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(page.text.contains("<form method=\"post\" action=\"/verify-email\">"))
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).decode(Account.self).emailVerified == false)

            let token = try #require(app.mail.lastToken(to: "verify_me@example.com"))
            let done = try await api.request(.post, "/verify-email", raw: "token=\(token)", headers: Self.form)
            #expect(done.status == 200)
            #expect(done.text.contains("Email confirmed"))
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).decode(Account.self).emailVerified == true)
            let again = try await api.request(.post, "/verify-email", raw: "token=\(token)", headers: Self.form)
            #expect(again.status == 422)
            #expect(again.text.contains("did not work"))
        }
    }

    @Test("The reset link opens a form; a weak password is refused on the page, a good one is set and signs everyone out")
    func resetPasswordPage() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("forgetful")
            #expect(try await api.post("/api/v1/auth/password/forgot", PasswordResetRequest(email: "forgetful@example.com")).status == 202)
            try await app.runJobs()
            let path = try link(app, to: "forgetful@example.com", subject: "Reset")
            #expect(path.hasPrefix("/reset-password?token="))
            #expect(try await api.get(path).text.contains("type=\"password\""))
            let token = try #require(app.mail.lastToken(to: "forgetful@example.com", subjectContaining: "Reset"))
            let weak = try await api.request(.post, "/reset-password", raw: "token=\(token)&password=short", headers: Self.form)
            #expect(weak.status == 422)
            let set = try await api.request(.post, "/reset-password", raw: "token=\(token)&password=remembered+at+last", headers: Self.form)
            #expect(set.status == 200)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).status == 401)
            #expect(try await api.post("/api/v1/auth/login", LoginRequest(login: "forgetful", password: "remembered at last")).status == 200)
        }
    }

    @Test("Pages escape what they echo, refuse bad forms, and need a token")
    func hostileInput() async throws {
        try await TestApp.run { _, api in
            let page = try await api.get("/verify-email?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(!page.text.contains("<script>"))
            #expect(page.text.contains("&quot;&gt;&lt;script&gt;"))
            #expect(try await api.get("/verify-email").status == 422)
            #expect(try await api.request(.post, "/verify-email", raw: "{\"token\":\"x\"}").status == 415)
            #expect(try await api.request(.post, "/verify-email", raw: "token=a%00b", headers: Self.form).status == 422)
            #expect(try await api.request(.post, "/reset-password", raw: "token=%zz", headers: Self.form).status == 400)
        }
    }
}
