import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Identity
import Testing

@Suite("Sessions and passwords")
struct SessionTests {
    func logIn(_ api: TestAPI, _ login: String, password: String = TestAPI.defaultPassword, agent: String = "test") async throws -> AuthTokens {
        let response = try await api.request(
            .post, "/api/v1/auth/login", json: LoginRequest(login: login, password: password), headers: [.userAgent: agent])
        guard response.status == 200 else { throw TestFailure("login: \(response.status) \(response.text)") }
        return try response.decode(AuthTokens.self)
    }

    @Test("Sessions list the caller's devices; one can be revoked, or all the others")
    func listAndRevoke() async throws {
        try await TestApp.run { _, api in
            let phone = try await api.register("lise", device: "Lise's phone")
            let laptop = try await logIn(api, "lise", agent: "Laptop/1.0")
            let tablet = try await logIn(api, "lise", agent: "Tablet/2.0")
            let page = try await api.get("/api/v1/auth/sessions", token: laptop.accessToken).decode(Page<Session>.self)
            #expect(page.items.count == 3)
            #expect(page.items.filter(\.current).count == 1)
            #expect(page.items.contains { $0.deviceName == "Lise's phone" })

            let firstPage = try await api.get("/api/v1/auth/sessions?limit=2", token: laptop.accessToken)
            #expect(try firstPage.decode(Page<Session>.self).nextCursor != nil)
            #expect(firstPage.headers[HTTPField.Name("Link")!]?.contains("rel=\"next\"") == true)
            #expect(try await api.get("/api/v1/auth/sessions?limit=0", token: laptop.accessToken).status == 422)
            #expect(try await api.get("/api/v1/auth/sessions?cursor=abc", token: laptop.accessToken).status == 422)

            let phoneSession = page.items.first { $0.deviceName == "Lise's phone" }!
            #expect(try await api.delete("/api/v1/auth/sessions/\(phoneSession.id)", token: laptop.accessToken).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: phone.accessToken).status == 401)
            #expect(try await api.delete("/api/v1/auth/sessions/\(phoneSession.id)", token: laptop.accessToken).status == 404)

            #expect(try await api.delete("/api/v1/auth/sessions", token: laptop.accessToken).status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: tablet.accessToken).status == 401)
            #expect(try await api.get("/api/v1/accounts/me", token: laptop.accessToken).status == 200)
        }
    }

    @Test("Nobody can see or revoke another account's sessions")
    func otherAccounts() async throws {
        try await TestApp.run { _, api in
            let victim = try await api.register("victim")
            let attacker = try await api.register("attacker")
            let sessions = try await api.get("/api/v1/auth/sessions", token: victim.accessToken).decode(Page<Session>.self)
            let target = sessions.items[0].id
            #expect(try await api.delete("/api/v1/auth/sessions/\(target)", token: attacker.accessToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/me", token: victim.accessToken).status == 200)
            #expect(try await api.get("/api/v1/auth/sessions").status == 401)
            #expect(try await api.delete("/api/v1/auth/sessions/abc", token: attacker.accessToken).status == 404)
        }
    }

    @Test("A login from a new device is logged as new_device")
    func newDevice() async throws {
        try await TestApp.run { _, api in
            try await api.register("marie")
            _ = try await logIn(api, "marie", agent: "Desk/1")
            let again = try await logIn(api, "marie", agent: "Desk/1")
            _ = try await logIn(api, "marie", agent: "Phone/9")
            let kinds = try await api.get("/api/v1/accounts/me/security-events?limit=100", token: again.accessToken)
                .decode(Page<SecurityEvent>.self).items.map(\.kind)
            #expect(kinds.filter { $0 == .newDevice }.count == 2)
            #expect(kinds.filter { $0 == .login }.count == 3)
        }
    }

    @Test("Changing the password needs the current one and signs out the other sessions")
    func changePassword() async throws {
        try await TestApp.run { _, api in
            let first = try await api.register("rosalind")
            let second = try await logIn(api, "rosalind")
            let wrong = try await api.post(
                "/api/v1/auth/password", ChangePasswordRequest(currentPassword: "not it at all", newPassword: "a brand new passphrase"),
                token: second.accessToken)
            #expect(wrong.status == 422)
            #expect(wrong.fieldErrors == ["current_password"])
            let weak = try await api.post(
                "/api/v1/auth/password", ChangePasswordRequest(currentPassword: TestAPI.defaultPassword, newPassword: "qwertyuiop"),
                token: second.accessToken)
            #expect(weak.fieldErrors == ["new_password"])
            #expect(try await api.get("/api/v1/accounts/me", token: first.accessToken).status == 200)

            let changed = try await api.post(
                "/api/v1/auth/password", ChangePasswordRequest(currentPassword: TestAPI.defaultPassword, newPassword: "a brand new passphrase"),
                token: second.accessToken)
            #expect(changed.status == 204)
            #expect(try await api.get("/api/v1/accounts/me", token: first.accessToken).status == 401)
            #expect(try await api.get("/api/v1/accounts/me", token: second.accessToken).status == 200)
            _ = try await logIn(api, "rosalind", password: "a brand new passphrase")
            #expect(try await api.post("/api/v1/auth/password", ChangePasswordRequest(currentPassword: "x", newPassword: "y")).status == 401)
        }
    }
}
