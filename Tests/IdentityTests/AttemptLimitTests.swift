import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Identity
import Testing

@Suite("Attempt limits on passwords and codes")
struct AttemptLimitTests {
    func logIn(_ api: TestAPI, _ login: String, password: String = TestAPI.defaultPassword, ip: String) async throws -> TestResponse {
        try await api.request(.post, "/api/v1/auth/login", json: LoginRequest(login: login, password: password), headers: [.forwardedFor: ip])
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

    func rateLimitKeys(_ app: TestApp) async throws -> [String] {
        try await app.kernel.database.sql.raw("SELECT key FROM rate_limits ORDER BY key").all().map { try $0.decode(column: "key", as: String.self) }
    }

    @Test("Thirty concurrent wrong passwords: only the budget reaches bcrypt, the rest are 429")
    func concurrentPasswords() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { app, api in
            let tokens = try await api.register("concurrent")
            let budget = app.kernel.config.limits.loginAttempts
            let responses = try await concurrently(30) {
                try await logIn(api, "concurrent", password: "wrong password!", ip: "203.0.113.7")
            }
            #expect(responses.filter { $0.status == 401 }.count == budget)
            let refused = responses.filter { $0.status == 429 }
            #expect(refused.count == 30 - budget)
            #expect(refused.allSatisfy { (Int($0.headers[.retryAfter] ?? "") ?? 0) > 0 })
            // Each password that reached bcrypt and failed wrote one row.
            let failures = try await securityEvents(api, tokens.accessToken).filter { $0.kind == .loginFailed }
            #expect(failures.count == budget)
        }
    }

    @Test("A scheduled job purges counters once their window, block and strikes are over")
    func purge() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { app, api in
            for _ in 0...app.kernel.config.limits.loginAttempts {
                _ = try await logIn(api, "nobody_here", password: "wrong password!", ip: "192.0.2.50")
            }
            let offender = try await rateLimitKeys(app)
            #expect(!offender.isEmpty)
            // The one-minute block is over, but the strike is remembered for another minute.
            app.clock.advance(by: .seconds(90))
            try await app.kernel.attempts.purge()
            #expect(try await rateLimitKeys(app) == offender)

            try await app.kernel.jobs.ensureScheduled()
            app.clock.advance(by: .seconds(15 * 60))
            _ = try await logIn(api, "someone_else", password: "wrong password!", ip: "192.0.2.51")
            let current = Set(try await rateLimitKeys(app)).subtracting(offender)
            #expect(!current.isEmpty)
            try await app.runJobs()
            // Only the counters still in their window are left.
            #expect(Set(try await rateLimitKeys(app)) == current)
        }
    }
}
