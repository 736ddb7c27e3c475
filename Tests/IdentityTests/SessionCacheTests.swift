import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Identity
import Testing

/// The session check is served from memory after the first request; these prove that every way a
/// session ends still stops its token on the very next request, here and on other instances.
@Suite("Session cache")
struct SessionCacheTests {
    /// Statements the database ran for one request.
    static func statements(_ app: TestApp, _ request: () async throws -> TestResponse) async throws -> (status: Int, count: Int) {
        let before = app.kernel.database.statementsExecuted
        let status = try await request().status
        return (status, app.kernel.database.statementsExecuted - before)
    }

    static func logIn(_ api: TestAPI, _ login: String, agent: String) async throws -> AuthTokens {
        let response = try await api.request(
            .post, "/api/v1/auth/login", json: LoginRequest(login: login, password: TestAPI.defaultPassword), headers: [.userAgent: agent])
        guard response.status == 200 else { throw TestFailure("login: \(response.status) \(response.text)") }
        return try response.decode(AuthTokens.self)
    }

    @Test("A checked session costs no query on the next request, yet logout, revocation, a password change and suspension stop it at once")
    func cachedButNeverStale() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            try await app.waitForCacheListener()
            let phone = try await api.register("cachey")
            let cold = try await Self.statements(app) { try await api.get("/api/v1/accounts/me", token: phone.accessToken) }
            let warm = try await Self.statements(app) { try await api.get("/api/v1/accounts/me", token: phone.accessToken) }
            #expect(cold.status == 200 && warm.status == 200)
            #expect(warm.count < cold.count, "the second request skips the session read (\(cold.count) → \(warm.count))")

            // Revoking the other sessions.
            let laptop = try await Self.logIn(api, "cachey", agent: "Laptop/1")
            #expect(try await api.get("/api/v1/accounts/me", token: laptop.accessToken).status == 200)
            #expect(try await api.delete("/api/v1/auth/sessions", token: phone.accessToken).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: laptop.accessToken).status == 401)

            // A password change ends every other session.
            let tablet = try await Self.logIn(api, "cachey", agent: "Tablet/1")
            #expect(try await api.get("/api/v1/accounts/me", token: tablet.accessToken).status == 200)
            let change = ChangePasswordRequest(currentPassword: TestAPI.defaultPassword, newPassword: "another perfectly fine passphrase")
            #expect(try await api.post("/api/v1/auth/password", change, token: phone.accessToken).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: tablet.accessToken).status == 401)
            #expect(try await api.get("/api/v1/accounts/me", token: phone.accessToken).status == 200)

            // A role change is read again on the next request.
            try await AccountLifecycle(env: app.runtime.identity.env).setRole(.moderator, of: phone.account.id)
            let reread = try await Self.statements(app) { try await api.get("/api/v1/accounts/me", token: phone.accessToken) }
            #expect(reread.status == 200 && reread.count == warm.count + 1, "only the session is read again")

            // Logout.
            #expect(try await api.post("/api/v1/auth/logout", token: phone.accessToken).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: phone.accessToken).status == 401)
        }
    }

    @Test("A session revoked on one instance is refused by another on its next request (PostgreSQL)")
    func revokedEverywhere() async throws {
        try await TestApp.twoInstances { a, b in
            let owner = try await a.register("roamer")
            let other = try await Self.logIn(a, "roamer", agent: "Other/1")
            let suspect = try await Self.logIn(a, "roamer", agent: "Suspect/1")
            // Both instances have checked both sessions and keep them.
            for api in [a, b] {
                for token in [owner, other, suspect].map(\.accessToken) {
                    #expect(try await api.get("/api/v1/accounts/me", token: token).status == 200)
                }
            }
            let cached = try await b.get("/api/v1/accounts/me", token: suspect.accessToken)
            #expect(cached.status == 200)

            #expect(try await a.post("/api/v1/auth/logout", token: suspect.accessToken).status == 204)
            #expect(try await b.get("/api/v1/accounts/me", token: suspect.accessToken).status == 401)
            #expect(try await b.get("/api/v1/accounts/me", token: other.accessToken).status == 200)

            #expect(try await b.delete("/api/v1/auth/sessions", token: owner.accessToken).status == 204)
            #expect(try await a.get("/api/v1/accounts/me", token: other.accessToken).status == 401)
            #expect(try await a.get("/api/v1/accounts/me", token: owner.accessToken).status == 200)
        }
    }
}
