import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Identity
import Testing

@Suite("Two-factor authentication")
struct TwoFactorTests {
    func code(_ secret: String, _ app: TestApp, stepOffset: Int64 = 0) -> String {
        TOTP(secret: Base32.decode(secret)!).code(atStep: TOTP.step(at: app.clock.now()) + stepOffset)
    }

    func enable(_ app: TestApp, _ api: TestAPI, _ token: String) async throws -> (secret: String, recovery: [String]) {
        let enrollment = try await api.post("/api/v1/auth/totp", token: token).decode(TOTPEnrollment.self)
        let confirmed = try await api.post("/api/v1/auth/totp/confirm", TOTPCodeRequest(code: code(enrollment.secret, app)), token: token)
        guard confirmed.status == 200 else { throw TestFailure("confirm: \(confirmed.text)") }
        return (enrollment.secret, try confirmed.decode(RecoveryCodes.self).recoveryCodes)
    }

    func challenge(_ api: TestAPI, _ username: String) async throws -> MFAChallenge {
        let result = try await api.post("/api/v1/auth/login", LoginRequest(login: username, password: TestAPI.defaultPassword))
            .decode(LoginResult.self)
        guard case .mfaRequired(let challenge) = result else { throw TestFailure("expected an MFA challenge") }
        return challenge
    }

    @Test("RFC 6238 test vector: SHA-1, 8 digits cut to 6 at T=59")
    func rfcVector() {
        // RFC 6238 Appendix B: secret "12345678901234567890", T=59 → 94287082; six digits → 287082.
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.code(atStep: 59 / 30) == "287082")
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI") == Array("foobar".utf8))
    }

    @Test("Enrolment needs a correct code; then login asks for a second factor")
    func enrolAndLogIn() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("ada")
            let enrollment = try await api.post("/api/v1/auth/totp", token: tokens.accessToken).decode(TOTPEnrollment.self)
            #expect(enrollment.otpauthUri.hasPrefix("otpauth://totp/Entativa:ada?secret=\(enrollment.secret)"))
            let wrong = try await api.post("/api/v1/auth/totp/confirm", TOTPCodeRequest(code: "000000"), token: tokens.accessToken)
            #expect(wrong.status == 422)
            let confirmed = try await api.post(
                "/api/v1/auth/totp/confirm", TOTPCodeRequest(code: code(enrollment.secret, app)), token: tokens.accessToken)
            let recovery = try confirmed.decode(RecoveryCodes.self).recoveryCodes
            #expect(recovery.count == 10)
            #expect(try await api.post("/api/v1/auth/totp", token: tokens.accessToken).status == 409)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).decode(Account.self).totpEnabled == true)

            let mfa = try await challenge(api, "ada")
            #expect(try await api.get("/api/v1/accounts/me", token: mfa.mfaToken).status == 401)
            let bad = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: "123456"))
            #expect(bad.status == 422)
            app.clock.advance(by: .seconds(30))
            let good = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: code(enrollment.secret, app)))
            #expect(good.status == 200)
            // The same code a second time is refused, even within its window and with a new token.
            let second = try await challenge(api, "ada")
            let replay = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: second.mfaToken, code: code(enrollment.secret, app)))
            #expect(replay.status == 422)
            // Codes one step early or late are accepted; two steps late are not.
            app.clock.advance(by: .seconds(30))
            let late = try await api.post(
                "/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: second.mfaToken, code: code(enrollment.secret, app, stepOffset: -2)))
            #expect(late.status == 422)
            let early = try await api.post(
                "/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: second.mfaToken, code: code(enrollment.secret, app, stepOffset: 1)))
            #expect(early.status == 200)
        }
    }

    @Test("Recovery codes work once each")
    func recoveryCodes() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("grace")
            let (_, recovery) = try await enable(app, api, tokens.accessToken)
            let mfa = try await challenge(api, "grace")
            let first = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: recovery[3]))
            #expect(first.status == 200)
            let second = try await challenge(api, "grace")
            let again = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: second.mfaToken, code: recovery[3]))
            #expect(again.status == 422)
            let spaced = recovery[4].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: second.mfaToken, code: spaced)).status == 200)
        }
    }

    @Test("Forty concurrent wrong codes on one MFA token: five reach verification, the rest are 429")
    func concurrentCodes() async throws {
        // Generous sign-in limits, so the token's own budget is what stops the burst.
        try await TestApp.run(configure: {
            $0.identity.loginAttempts = 1000
            $0.identity.loginAttemptsPerIP = 1000
        }) { app, api in
            let tokens = try await api.register("burst")
            let (secret, _) = try await enable(app, api, tokens.accessToken)
            let mfa = try await challenge(api, "burst")
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: "000000")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let budget = app.runtime.identity.env.settings.mfaAttemptsPerToken
            // The statuses and any other answer's body, so a failure says what else came back.
            let statuses = responses.map(\.status)
            let others = responses.filter { ![422, 429].contains($0.status) }.map { "\($0.status) \($0.text)" }
            let refused = responses.filter { $0.status == 429 }
            #expect(statuses.filter { $0 == 422 }.count == budget, "\(statuses) \(others)")
            #expect(refused.count == 40 - budget, "\(statuses) \(others)")
            #expect(refused.allSatisfy { (Int($0.headers[.retryAfter] ?? "") ?? 0) > 0 })
            let events = try await api.get("/api/v1/accounts/me/security-events?limit=100", token: tokens.accessToken)
                .decode(Page<SecurityEvent>.self).items
            #expect(events.filter { $0.kind == .mfaFailed }.count == budget)
            // Even the right code is refused on a spent token; a new sign-in gets a new budget.
            let late = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: code(secret, app)))
            #expect(late.status == 429)
            let fresh = try await challenge(api, "burst")
            app.clock.advance(by: .seconds(30))  // the enrolment spent the current step
            #expect(try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: fresh.mfaToken, code: code(secret, app))).status == 200)
        }
    }

    @Test("An MFA token completes one sign-in; expired challenges are purged")
    func singleUse() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("once")
            let (secret, recovery) = try await enable(app, api, tokens.accessToken)
            let mfa = try await challenge(api, "once")
            app.clock.advance(by: .seconds(30))
            #expect(try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: code(secret, app))).status == 200)
            app.clock.advance(by: .seconds(30))
            let again = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: code(secret, app)))
            #expect(again.status == 401)
            #expect(try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: recovery[0])).status == 401)

            try await app.kernel.jobs.ensureScheduled()
            app.clock.advance(by: .seconds(15 * 60))
            try await app.runJobs()
            let left = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM mfa_challenges").first()
            #expect(try left?.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("The MFA token expires after five minutes")
    func mfaTokenExpiry() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("expiry")
            let (secret, _) = try await enable(app, api, tokens.accessToken)
            let mfa = try await challenge(api, "expiry")
            app.clock.advance(by: .seconds(301))
            let late = try await api.post("/api/v1/auth/login/mfa", MFALoginRequest(mfaToken: mfa.mfaToken, code: code(secret, app)))
            #expect(late.status == 401)
        }
    }

    @Test("Disabling needs the password and a code")
    func disable() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("turning_off")
            #expect(try await api.post("/api/v1/auth/totp/confirm", TOTPCodeRequest(code: "123456"), token: tokens.accessToken).status == 409)
            let (secret, recovery) = try await enable(app, api, tokens.accessToken)
            app.clock.advance(by: .seconds(30))
            let wrongPassword = try await api.delete(
                "/api/v1/auth/totp", TOTPDisableRequest(password: "wrong password!!", code: code(secret, app)), token: tokens.accessToken)
            #expect(wrongPassword.fieldErrors == ["password"])
            let wrongCode = try await api.delete(
                "/api/v1/auth/totp", TOTPDisableRequest(password: TestAPI.defaultPassword, code: "999999"), token: tokens.accessToken)
            #expect(wrongCode.fieldErrors == ["code"])
            let disabled = try await api.delete(
                "/api/v1/auth/totp", TOTPDisableRequest(password: TestAPI.defaultPassword, code: recovery[0]), token: tokens.accessToken)
            #expect(disabled.status == 204)
            let login = try await api.post("/api/v1/auth/login", LoginRequest(login: "turning_off", password: TestAPI.defaultPassword))
            guard case .signedIn = try login.decode(LoginResult.self) else {
                Issue.record("expected tokens without a second factor")
                return
            }
            #expect(try await api.delete("/api/v1/auth/totp", TOTPDisableRequest(password: "x", code: "1")).status == 401)
        }
    }
}
