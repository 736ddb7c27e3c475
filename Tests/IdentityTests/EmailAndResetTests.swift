import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Identity
import Testing

@Suite("Email verification and password reset")
struct EmailAndResetTests {
    @Test("The mailed token verifies the address once")
    func verifiesEmail() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("verify_me")
            try await app.runJobs()
            let token = try #require(app.mail.lastToken(to: "verify_me@example.com"))
            #expect(try await api.post("/api/v1/auth/email/verify", EmailVerificationRequest(token: token)).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).decode(Account.self).emailVerified == true)
            let again = try await api.post("/api/v1/auth/email/verify", EmailVerificationRequest(token: token))
            #expect(again.status == 422)
            #expect(again.fieldErrors == ["token"])
            #expect(try await api.post("/api/v1/auth/email/resend", token: tokens.accessToken).status == 409)
            #expect(try await api.post("/api/v1/auth/email/resend").status == 401)
        }
    }

    @Test("Verification links expire after a day; a resent link replaces the old one")
    func expiresAndResends() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("slow_reader")
            try await app.runJobs()
            let old = try #require(app.mail.lastToken(to: "slow_reader@example.com"))
            app.clock.advance(by: .seconds(25 * 3600))
            #expect(try await api.post("/api/v1/auth/email/verify", EmailVerificationRequest(token: old)).status == 422)
            let fresh = try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: tokens.refreshToken)).decode(AuthTokens.self)
            #expect(try await api.post("/api/v1/auth/email/resend", token: fresh.accessToken).status == 202)
            try await app.runJobs()
            let new = try #require(app.mail.lastToken(to: "slow_reader@example.com"))
            #expect(new != old)
            #expect(try await api.post("/api/v1/auth/email/verify", EmailVerificationRequest(token: new)).status == 204)
        }
    }

    @Test("A password reset mails a single-use token and signs out every session")
    func resetsPassword() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("forgetful")
            #expect(try await api.post("/api/v1/auth/password/forgot", PasswordResetRequest(email: "FORGETFUL@example.com")).status == 202)
            try await app.runJobs()
            let token = try #require(app.mail.lastToken(to: "forgetful@example.com", subjectContaining: "Reset"))

            let weak = try await api.post("/api/v1/auth/password/reset", PasswordResetConfirmation(token: token, password: "forgetful12345"))
            #expect(weak.status == 422)
            #expect(weak.problem?.errors?.first?.code == "contains_username")
            let reset = try await api.post("/api/v1/auth/password/reset", PasswordResetConfirmation(token: token, password: "remembered at last"))
            #expect(reset.status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).status == 401)
            let login = try await api.post("/api/v1/auth/login", LoginRequest(login: "forgetful", password: "remembered at last"))
            #expect(login.status == 200)
            let reuse = try await api.post("/api/v1/auth/password/reset", PasswordResetConfirmation(token: token, password: "another one entirely"))
            #expect(reuse.status == 422)
        }
    }

    @Test("Unknown addresses get the same 202 and no mail")
    func noEnumeration() async throws {
        try await TestApp.run { app, api in
            let response = try await api.post("/api/v1/auth/password/forgot", PasswordResetRequest(email: "nobody@example.com"))
            #expect(response.status == 202)
            try await app.runJobs()
            #expect(app.mail.sent.isEmpty)
            #expect(try await api.post("/api/v1/auth/password/forgot", PasswordResetRequest(email: "not-an-address")).status == 422)
        }
    }

    @Test("Reset mails are rate limited per address")
    func resetLimit() async throws {
        try await TestApp.run { _, api in
            try await api.register("spammed")
            var statuses: [Int] = []
            for _ in 0..<6 {
                statuses.append(try await api.post("/api/v1/auth/password/forgot", PasswordResetRequest(email: "spammed@example.com")).status)
            }
            #expect(statuses == [202, 202, 202, 202, 202, 429])
        }
    }

    @Test("Mailed links state the lifetimes the settings give, and expire after them")
    func mailedLifetimes() async throws {
        try await TestApp.run(configure: {
            $0.identity.passwordResetTokenLifetime = .seconds(30 * 60)
            $0.identity.emailTokenLifetime = .seconds(2 * 3600)
        }) { app, api in
            try await api.register("timely")
            try await app.runJobs()
            let verification = try #require(app.mail.sent.last { $0.to == "timely@example.com" })
            #expect(verification.body.contains("works for 2 hours"))

            #expect(try await api.post("/api/v1/auth/password/forgot", PasswordResetRequest(email: "timely@example.com")).status == 202)
            try await app.runJobs()
            let reset = try #require(app.mail.sent.last { $0.subject.contains("Reset") })
            #expect(reset.body.contains("for 30 minutes"))
            let token = try #require(app.mail.lastToken(to: "timely@example.com", subjectContaining: "Reset"))
            app.clock.advance(by: .seconds(31 * 60))
            let late = try await api.post("/api/v1/auth/password/reset", PasswordResetConfirmation(token: token, password: "too late for this one"))
            #expect(late.status == 422)
        }
    }
}
