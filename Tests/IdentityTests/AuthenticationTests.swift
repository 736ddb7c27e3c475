import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Identity
import Testing

@Suite("Signing in, refreshing, signing out")
struct AuthenticationTests {
    let password = TestAPI.defaultPassword

    func logIn(_ api: TestAPI, _ login: String, password: String = TestAPI.defaultPassword, ip: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let ip { headers[.forwardedFor] = ip }
        return try await api.request(.post, "/api/v1/auth/login", json: LoginRequest(login: login, password: password), headers: headers)
    }

    @Test("Login works with the username or the email, in any case")
    func logsIn() async throws {
        try await TestApp.run { _, api in
            try await api.register("katherine")
            for login in ["katherine", "KATHERINE", "Katherine@Example.com"] {
                let response = try await logIn(api, login)
                #expect(response.status == 200, "\(login)")
                guard case .signedIn(let tokens) = try response.decode(LoginResult.self) else {
                    Issue.record("expected tokens")
                    return
                }
                #expect(tokens.account.username == "katherine")
            }
        }
    }

    @Test("Wrong passwords and unknown accounts get the same 401, and failures are logged")
    func rejectsWrongCredentials() async throws {
        try await TestApp.run { _, api in
            let tokens = try await api.register("dorothy")
            let wrong = try await logIn(api, "dorothy", password: "not the password at all")
            let unknown = try await logIn(api, "nobody_here")
            #expect(wrong.status == 401)
            #expect(unknown.status == 401)
            #expect(wrong.problem?.title == unknown.problem?.title)
            let missing = try await api.request(.post, "/api/v1/auth/login", raw: #"{"login":"","password":""}"#)
            #expect(missing.status == 422)
            #expect(Set(missing.fieldErrors) == ["login", "password"])
            let events = try await api.get("/api/v1/accounts/me/security-events", token: tokens.accessToken).decode(Page<SecurityEvent>.self)
            #expect(events.items.first?.kind == .loginFailed)
        }
    }

    @Test("Five failed logins per account and address block that pair for a minute, then back off further")
    func accountBackOff() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { app, api in
            try await api.register("mary_jackson")
            for _ in 0..<5 {
                #expect(try await logIn(api, "mary_jackson", password: "wrong password!", ip: "192.0.2.1").status == 401)
            }
            let blocked = try await logIn(api, "mary_jackson", ip: "192.0.2.1")
            #expect(blocked.status == 429)
            #expect(blocked.headers[.retryAfter] == "60")
            app.clock.advance(by: .seconds(61))
            #expect(try await logIn(api, "mary_jackson", ip: "192.0.2.1").status == 200)
            for _ in 0..<5 {
                _ = try await logIn(api, "mary_jackson", password: "wrong password!", ip: "192.0.2.1")
            }
            let again = try await logIn(api, "mary_jackson", ip: "192.0.2.1")
            #expect(again.status == 429)
            #expect(again.headers[.retryAfter] == "120")
        }
    }

    @Test("Twenty failed logins from one address block that address for every account")
    func ipLimit() async throws {
        try await TestApp.run(configure: { $0.trustProxy = true }) { app, api in
            try await api.register("annie_easley")
            for index in 0..<app.runtime.identity.env.settings.loginAttemptsPerIP {
                _ = try await logIn(api, "someone_\(index)", password: "wrong password!", ip: "198.51.100.1")
            }
            #expect(try await logIn(api, "annie_easley", ip: "198.51.100.1").status == 429)
            #expect(try await logIn(api, "annie_easley", ip: "198.51.100.2").status == 200)
        }
    }

    @Test("Refresh rotates tokens; a spent refresh token revokes its whole session")
    func refreshRotationAndReuse() async throws {
        try await TestApp.run { _, api in
            let first = try await api.register("hedy")
            let rotated = try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: first.refreshToken))
            #expect(rotated.status == 200)
            let second = try rotated.decode(AuthTokens.self)
            #expect(second.refreshToken != first.refreshToken)
            #expect(try await api.get("/api/v1/accounts/me", token: second.accessToken).status == 200)

            let reuse = try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: first.refreshToken))
            #expect(reuse.status == 401)
            #expect(try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: second.refreshToken)).status == 401)
            #expect(try await api.get("/api/v1/accounts/me", token: second.accessToken).status == 401)
            #expect(try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: "garbage")).status == 401)

            let fresh = try await logIn(api, "hedy").decode(AuthTokens.self)
            let events = try await api.get("/api/v1/accounts/me/security-events", token: fresh.accessToken).decode(Page<SecurityEvent>.self)
            #expect(events.items.contains { $0.kind == .tokenReuse })
        }
    }

    @Test("Two racing refreshes with one token: one wins, the other counts as reuse")
    func racingRefresh() async throws {
        try await TestApp.run { _, api in
            let tokens = try await api.register("racer")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: tokens.refreshToken)).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 401])
        }
    }

    @Test("Access tokens expire after 15 minutes and refresh tokens after 30 days")
    func expiry() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("expiring")
            app.clock.advance(by: .seconds(14 * 60))
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).status == 200)
            app.clock.advance(by: .seconds(2 * 60))
            let expired = try await api.get("/api/v1/accounts/me", token: tokens.accessToken)
            #expect(expired.status == 401)
            #expect(expired.headers[.wwwAuthenticate] == "Bearer")
            app.clock.advance(by: .seconds(31 * 24 * 3600))
            #expect(try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: tokens.refreshToken)).status == 401)
        }
    }

    @Test("Tokens that are malformed, forged or of another scheme are 401 on every route")
    func badTokens() async throws {
        try await TestApp.run { _, api in
            let tokens = try await api.register("forger")
            var forged = tokens.accessToken
            forged.removeLast(4)
            forged += "AAAA"
            #expect(try await api.get("/api/v1/accounts/me", token: forged).status == 401)
            #expect(try await api.get("/api/v1/accounts/lookup?username=forger", token: "not.a.jwt").status == 401)
            let basic = try await api.request(.get, "/api/v1/accounts/me", headers: [.authorization: "Basic Zm9vOmJhcg=="])
            #expect(basic.status == 401)
        }
    }

    @Test("Logout ends the session and its refresh token")
    func logout() async throws {
        try await TestApp.run { _, api in
            let tokens = try await api.register("leaving")
            #expect(try await api.post("/api/v1/auth/logout", token: tokens.accessToken).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).status == 401)
            #expect(try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: tokens.refreshToken)).status == 401)
            #expect(try await api.post("/api/v1/auth/logout").status == 401)
        }
    }
}
