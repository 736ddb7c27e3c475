import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Accounts, suspension and deletion")
struct AccountTests {
    @Test("Profiles can be edited within the limits; a refused edit changes nothing")
    func editsProfile() async throws {
        try await TestApp.run { _, api in
            let tokens = try await api.register("editor")
            let update = UpdateAccountRequest(displayName: "The Editor", bio: "Writes things.", links: ["https://example.com/me"], isPrivate: true)
            let updated = try await api.patch("/api/v1/accounts/me", update, token: tokens.accessToken)
            #expect(updated.status == 200)
            let account = try updated.decode(Account.self)
            #expect(account.displayName == "The Editor")
            #expect(account.isPrivate)

            let tooMuch = UpdateAccountRequest(
                displayName: String(repeating: "x", count: 65), bio: String(repeating: "y", count: 501),
                links: ["https://a.example", "https://b.example", "https://c.example", "https://d.example", "ftp://e.example"])
            let refused = try await api.patch("/api/v1/accounts/me", tooMuch, token: tokens.accessToken)
            #expect(refused.status == 422)
            #expect(Set(refused.fieldErrors) == ["display_name", "bio", "links", "links.4"])
            let unchanged = try await api.get("/api/v1/accounts/me", token: tokens.accessToken).decode(Account.self)
            #expect(unchanged == account)
            #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(bio: "x")).status == 401)
        }
    }

    @Test("Others see public fields only; lookups ignore case; unknown IDs are 404")
    func publicViews() async throws {
        try await TestApp.run { _, api in
            let owner = try await api.register("Visible_One")
            let viewer = try await api.register("viewer")
            let anonymous = try await api.get("/api/v1/accounts/\(owner.account.id)")
            #expect(anonymous.status == 200)
            let seen = try anonymous.decode(Account.self)
            #expect(seen.email == nil && seen.totpEnabled == nil)
            let byOther = try await api.get("/api/v1/accounts/lookup?username=visible_one", token: viewer.accessToken).decode(Account.self)
            #expect(byOther.id == owner.account.id && byOther.email == nil)
            #expect(try await api.get("/api/v1/accounts/999999").status == 404)
            #expect(try await api.get("/api/v1/accounts/not-an-id").status == 404)
            #expect(try await api.get("/api/v1/accounts/lookup?username=ghost").status == 404)
            #expect(try await api.get("/api/v1/accounts/lookup").status == 422)
        }
    }

    @Test("An administrator's suspension stops the account's tokens at once and blocks login")
    func suspension() async throws {
        try await TestApp.run { app, api in
            let admin = try await app.signedInAdmin(api)
            let user = try await api.register("troublemaker")
            let bystander = try await api.register("bystander")
            let path = "/api/v1/admin/accounts/\(user.account.id)"

            #expect(try await api.post("\(path)/suspend", SuspendAccountRequest(reason: "spam"), token: bystander.accessToken).status == 403)
            #expect(try await api.post("\(path)/suspend", SuspendAccountRequest(reason: "spam")).status == 401)
            #expect(try await api.get("/api/v1/accounts/me", token: user.accessToken).status == 200)

            let suspended = try await api.post("\(path)/suspend", SuspendAccountRequest(reason: "spam"), token: admin.accessToken)
            #expect(suspended.status == 200)
            #expect(try suspended.decode(Account.self).suspended == true)
            #expect(try await api.get("/api/v1/accounts/me", token: user.accessToken).status == 401)
            #expect(try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: user.refreshToken)).status == 401)
            let login = try await api.post("/api/v1/auth/login", LoginRequest(login: "troublemaker", password: TestAPI.defaultPassword))
            #expect(login.status == 403)
            #expect(try await api.get("/api/v1/accounts/\(user.account.id)", token: bystander.accessToken).status == 404)
            #expect(try await api.get("/api/v1/accounts/\(user.account.id)", token: admin.accessToken).status == 200)
            #expect(try await api.post("/api/v1/admin/accounts/\(admin.account.id)/suspend", SuspendAccountRequest(), token: admin.accessToken).status == 409)
            #expect(try await api.post("/api/v1/admin/accounts/424242/suspend", SuspendAccountRequest(), token: admin.accessToken).status == 404)

            #expect(try await api.post("\(path)/unsuspend", token: bystander.accessToken).status == 403)
            #expect(try await api.post("\(path)/unsuspend", token: admin.accessToken).status == 200)
            let back = try await api.post("/api/v1/auth/login", LoginRequest(login: "troublemaker", password: TestAPI.defaultPassword))
            #expect(back.status == 200)
        }
    }

    @Test("Deleting an account signs out everywhere, purges its data and keeps the username reserved")
    func deletion() async throws {
        try await TestApp.run { app, api in
            let tokens = try await api.register("departing")
            let wrong = try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: "not my password"), token: tokens.accessToken)
            #expect(wrong.status == 422)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).status == 200)

            let deleted = try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: tokens.accessToken)
            #expect(deleted.status == 202)
            #expect(try await api.get("/api/v1/accounts/me", token: tokens.accessToken).status == 401)
            try await app.runJobs()
            #expect(try await api.get("/api/v1/accounts/lookup?username=departing").status == 404)
            let login = try await api.post("/api/v1/auth/login", LoginRequest(login: "departing", password: TestAPI.defaultPassword))
            #expect(login.status == 401)
            let rows = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM security_events WHERE account_id = \(bind: tokens.account.id.rawValue)").first()
            #expect(try rows?.decode(column: "n", as: Int.self) == 0)

            let reuse = try await api.post(
                "/api/v1/auth/register", RegisterRequest(username: "Departing", email: "new@example.com", password: TestAPI.defaultPassword))
            #expect(reuse.status == 409)
            let sameEmail = try await api.post(
                "/api/v1/auth/register", RegisterRequest(username: "returning", email: "departing@example.com", password: TestAPI.defaultPassword))
            #expect(sameEmail.status == 201)
        }
    }
}
