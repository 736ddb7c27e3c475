import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Identity
import Testing

@Suite("Attempt limits on passwords and codes")
struct AttemptLimitTests {
    func logIn(
        _ api: TestAPI, _ login: String, password: String = TestAPI.defaultPassword, ip: String, device: String? = nil
    ) async throws -> TestResponse {
        try await api.request(
            .post, "/api/v1/auth/login", json: LoginRequest(login: login, password: password, deviceToken: device), headers: [.forwardedFor: ip])
    }

    func securityEvents(_ api: TestAPI, _ token: String) async throws -> [SecurityEvent] {
        try await api.get("/api/v1/accounts/me/security-events?limit=100", token: token).decode(Page<SecurityEvent>.self).items
    }

    /// Runs `count` copies of `request` at once and answers their responses.
    func concurrently(_ count: Int, _ request: @escaping @Sendable () async throws -> TestResponse) async throws -> [TestResponse] {
        try await withThrowingTaskGroup(of: TestResponse.self) { group in
            for _ in 0..<count { group.addTask { try await request() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    func rateLimitKeys(_ app: TestApp) async throws -> Set<String> {
        Set(try await app.kernel.database.sql.raw("SELECT key FROM rate_limits").all().map { try $0.decode(column: "key", as: String.self) })
    }

    @Test("Thirty concurrent wrong passwords: only the budget reaches bcrypt, the rest are 429")
    func concurrentPasswords() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { app, api in
            let tokens = try await api.register("concurrent")
            let budget = app.runtime.identity.env.settings.loginAttempts
            let responses = try await concurrently(30) {
                try await logIn(api, "concurrent", password: "wrong password!", ip: "203.0.113.7")
            }
            // The statuses and any other answer's body, so a failure says what else came back.
            let statuses = responses.map(\.status)
            let others = responses.filter { ![401, 429].contains($0.status) }.map { "\($0.status) \($0.text)" }
            let refused = responses.filter { $0.status == 429 }
            #expect(statuses.filter { $0 == 401 }.count == budget, "\(statuses) \(others)")
            #expect(refused.count == 30 - budget, "\(statuses) \(others)")
            #expect(refused.allSatisfy { (Int($0.headers[.retryAfter] ?? "") ?? 0) > 0 })
            // Each password that reached bcrypt and failed wrote one row.
            let failures = try await securityEvents(api, tokens.accessToken).filter { $0.kind == .loginFailed }
            #expect(failures.count == budget)
        }
    }

    @Test("A guesser at one address cannot lock the owner out at another")
    func noLockoutFromElsewhere() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { _, api in
            try await api.register("target")
            var statuses: [Int] = []
            for _ in 0..<50 {
                statuses.append(try await logIn(api, "target", password: "wrong password!", ip: "203.0.113.66").status)
            }
            #expect(statuses.filter { $0 == 401 }.count == 5)
            #expect(statuses.filter { $0 == 429 }.count == 45)
            // The guesser stays blocked even with the right password; the owner elsewhere is not.
            #expect(try await logIn(api, "target", ip: "203.0.113.66").status == 429)
            #expect(try await logIn(api, "target", ip: "198.51.100.20").status == 200)
        }
    }

    @Test("Guesses from many addresses reach the account's ceiling; a device that signed in before keeps its own budget")
    func ceilingAndTrustedDevice() async throws {
        try await TestApp.run(configure: {
            $0.trustProxy = true
            $0.identity.loginAttemptsPerAccount = 10
        }) { _, api in
            let registered = try await api.register("famous")
            let device = try #require(registered.deviceToken)
            for index in 0..<10 {
                #expect(try await logIn(api, "famous", password: "wrong password!", ip: "192.0.2.\(index)").status == 401)
            }
            let ceiling = try await logIn(api, "famous", password: "wrong password!", ip: "192.0.2.200")
            #expect(ceiling.status == 429)
            #expect(ceiling.headers[.retryAfter] == "3600")
            // A new device must wait; the owner's known device, anywhere, signs in and gets a new token.
            #expect(try await logIn(api, "famous", ip: "198.51.100.7").status == 429)
            let known = try await logIn(api, "famous", ip: "198.51.100.7", device: device)
            #expect(known.status == 200)
            let renewed = try #require(try known.decode(AuthTokens.self).deviceToken)
            // A device token names its account: on another account it earns nothing.
            try await api.register("other_one")
            for _ in 0..<5 { _ = try await logIn(api, "other_one", password: "wrong password!", ip: "192.0.2.77", device: renewed) }
            #expect(try await logIn(api, "other_one", ip: "192.0.2.77", device: renewed).status == 429)
            // The device's own budget is finite too.
            for _ in 0..<5 {
                #expect(try await logIn(api, "famous", password: "wrong password!", ip: "198.51.100.7", device: renewed).status == 401)
            }
            #expect(try await logIn(api, "famous", ip: "198.51.100.7", device: renewed).status == 429)
        }
    }

    @Test("Re-confirming the password is limited per session, counted before bcrypt, and logged")
    func reconfirmation() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("careful")
            let token = tokens.accessToken
            let enrollment = try await api.post("/api/v1/auth/totp", token: token).decode(TOTPEnrollment.self)
            let code = TOTP(secret: try #require(Base32.decode(enrollment.secret))).code(atStep: TOTP.step(at: app.clock.now()))
            #expect(try await api.post("/api/v1/auth/totp/confirm", TOTPCodeRequest(code: code), token: token).status == 200)

            let wrong = "not my password"
            let change = ChangePasswordRequest(currentPassword: wrong, newPassword: "another fine passphrase")
            // Password change, 2FA removal and deletion share the session's budget of five.
            var statuses: [Int] = []
            for _ in 0..<2 { statuses.append(try await api.post("/api/v1/auth/password", change, token: token).status) }
            for _ in 0..<2 { statuses.append(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: wrong), token: token).status) }
            statuses.append(try await api.delete("/api/v1/auth/totp", TOTPDisableRequest(password: wrong, code: "123456"), token: token).status)
            #expect(statuses == [422, 422, 422, 422, 422])
            let right = ChangePasswordRequest(currentPassword: TestAPI.defaultPassword, newPassword: "another fine passphrase")
            let refused = try await api.post("/api/v1/auth/password", right, token: token)
            #expect(refused.status == 429)
            #expect((Int(refused.headers[.retryAfter] ?? "") ?? 0) > 0)

            let failures = try await securityEvents(api, token).filter { $0.kind == .passwordCheckFailed }
            #expect(failures.compactMap(\.detail).sorted() == [
                "account_deletion", "account_deletion", "password_change", "password_change", "totp_disable",
            ])
            app.clock.advance(by: .seconds(61))
            #expect(try await api.post("/api/v1/auth/password", right, token: token).status == 204)
        }
    }

    @Test("A scheduled job purges counters once their window, block and strikes are over")
    func purge() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { app, api in
            for _ in 0...app.runtime.identity.env.settings.loginAttempts {
                _ = try await logIn(api, "nobody_here", password: "wrong password!", ip: "192.0.2.50")
            }
            let pair = "login:account:nobody_here|ip:192.0.2.50"
            let ceiling = "login-account:account:nobody_here"
            #expect(try await rateLimitKeys(app) == [ceiling, pair, "login-ip:ip:192.0.2.50"])
            // The address's minute is over; the pair's block is over but its strike is remembered
            // for another minute; the account's hour is still running.
            app.clock.advance(by: .seconds(90))
            try await app.kernel.attempts.purge()
            #expect(try await rateLimitKeys(app) == [ceiling, pair])

            try await app.kernel.jobs.ensureScheduled()
            app.clock.advance(by: .seconds(3600))
            _ = try await logIn(api, "someone_else", password: "wrong password!", ip: "192.0.2.51")
            try await app.runJobs()
            // Only the counters still in their window are left.
            #expect(
                try await rateLimitKeys(app) == [
                    "login-account:account:someone_else", "login-ip:ip:192.0.2.51", "login:account:someone_else|ip:192.0.2.51",
                ])
        }
    }
}
