import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Identity
import Testing

@Suite("Registration")
struct RegistrationTests {
    @Test("Registering answers 201 with tokens, logs the event and mails a verification link", arguments: Platform.allCases)
    func registers(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let tokens = try await api.register("ada_lovelace")
            #expect(tokens.account.username == "ada_lovelace")
            #expect(tokens.account.email == "ada_lovelace@example.com")
            #expect(tokens.account.emailVerified == false)
            #expect(tokens.expiresIn == 900)
            #expect(tokens.tokenType == "Bearer")
            let me = try await api.get("/api/v1/accounts/me", token: tokens.accessToken)
            #expect(me.status == 200)
            try await app.runJobs()
            #expect(app.mail.lastToken(to: "ada_lovelace@example.com") != nil)
            let events = try await api.get("/api/v1/accounts/me/security-events", token: tokens.accessToken).decode(Page<SecurityEvent>.self)
            #expect(events.items.map(\.kind) == [.registered])
        }
    }

    @Test("Usernames are 3–30 of [a-z0-9_], unique whatever their case")
    func usernameRules() async throws {
        try await TestApp.run { _, api in
            for bad in ["ab", "has space", "dash-ed", String(repeating: "a", count: 31), "émile"] {
                let response = try await api.post(
                    "/api/v1/auth/register", RegisterRequest(username: bad, email: "x@example.com", password: TestAPI.defaultPassword))
                #expect(response.status == 422, "\(bad)")
                #expect(response.fieldErrors == ["username"], "\(bad)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await api.register("Grace_Hopper")
            let clash = try await api.post(
                "/api/v1/auth/register", RegisterRequest(username: "grace_hopper", email: "other@example.com", password: TestAPI.defaultPassword))
            #expect(clash.status == 409)
            #expect(clash.fieldErrors == ["username"])
            let emailClash = try await api.post(
                "/api/v1/auth/register", RegisterRequest(username: "someone_else", email: "GRACE_HOPPER@example.com", password: TestAPI.defaultPassword))
            #expect(emailClash.status == 409)
            #expect(emailClash.fieldErrors == ["email"])
        }
    }

    @Test("Passwords must be long, uncommon and free of the username")
    func passwordRules() async throws {
        try await TestApp.run { _, api in
            let cases: [(String, String)] = [
                ("short", "too_short"), ("1234567890", "too_common"), ("QWERTYUIOP", "too_common"),
                ("my name is alan_turing!", "contains_username"), (String(repeating: "é", count: 40), "too_long"),
            ]
            for (password, code) in cases {
                let response = try await api.post(
                    "/api/v1/auth/register", RegisterRequest(username: "alan_turing", email: "alan@example.com", password: password))
                #expect(response.status == 422)
                #expect(response.problem?.errors?.first?.code == code, "\(password)")
            }
            // Nothing was created by the refused attempts.
            #expect(try await api.get("/api/v1/accounts/lookup?username=alan_turing").status == 404)
        }
    }

    @Test("Malformed bodies are 400, missing or mistyped fields 422, other media types 415")
    func badBodies() async throws {
        try await TestApp.run { _, api in
            let notJSON = try await api.request(.post, "/api/v1/auth/register", raw: "{nope")
            #expect(notJSON.status == 400)
            let missing = try await api.request(.post, "/api/v1/auth/register", raw: #"{"username":"abc","email":"a@b.co"}"#)
            #expect(missing.status == 422)
            #expect(missing.fieldErrors == ["password"])
            let mistyped = try await api.request(.post, "/api/v1/auth/register", raw: #"{"username":5,"email":"a@b.co","password":"x"}"#)
            #expect(mistyped.fieldErrors == ["username"])
            let form = try await api.request(
                .post, "/api/v1/auth/register", raw: "username=abc", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == 415)
            let empty = try await api.request(.post, "/api/v1/auth/register")
            #expect(empty.status == 400)
        }
    }

    @Test("Registration answers carry tokens, so an Idempotency-Key never stores them: a retry is a conflict")
    func registrationIsNeverReplayed() async throws {
        try await TestApp.run { app, api in
            let form = RegisterRequest(username: "retrying", email: "retrying@example.com", password: TestAPI.defaultPassword)
            let key: HTTPFields = [.idempotencyKey: "reg-1"]
            let first = try await api.post("/api/v1/auth/register", form, headers: key)
            #expect(first.status == 201)
            let second = try await api.post("/api/v1/auth/register", form, headers: key)
            #expect(second.status == 409)
            #expect(second.headers[.idempotentReplayed] == nil)
            let stored = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM idempotency_keys").first()
            #expect(try stored?.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("Registrations per IP are limited, with Retry-After")
    func registrationLimit() async throws {
        try await TestApp.run(configure: { config in
            config.trustProxy = true
            config.identity.registrationsPerIP = 2
        }) { _, api in
            func register(_ name: String, ip: String) async throws -> TestResponse {
                try await api.request(
                    .post, "/api/v1/auth/register",
                    json: RegisterRequest(username: name, email: "\(name)@example.com", password: TestAPI.defaultPassword),
                    headers: [.forwardedFor: ip])
            }
            #expect(try await register("first_one", ip: "203.0.113.5").status == 201)
            #expect(try await register("second_one", ip: "203.0.113.5").status == 201)
            let third = try await register("third_one", ip: "203.0.113.5")
            #expect(third.status == 429)
            #expect(Int(third.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await register("fourth_one", ip: "198.51.100.7").status == 201)
        }
    }

    @Test("Concurrent registrations of one username create exactly one account")
    func concurrentRegistrations() async throws {
        try await TestApp.run { _, api in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await api.post(
                            "/api/v1/auth/register",
                            RegisterRequest(username: "popular", email: "p\(index)@example.com", password: TestAPI.defaultPassword)
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 5, "\(statuses)")
        }
    }

    @Test("Production hashes use bcrypt cost 12")
    func bcryptCost() async throws {
        #expect(IdentitySettings().bcryptCost == 12)
        let hash = try await PasswordHasher(cost: 12).hash("some long password")
        #expect(hash.hasPrefix("$2b$12$"))
        #expect(try await PasswordHasher(cost: 4).verify("some long password", against: hash))
    }

    @Test("Unknown names are checked against a dummy hash of the configured cost")
    func dummyHashCost() async throws {
        try await TestApp.run(configure: { $0.identity.bcryptCost = 5 }) { app, _ in
            let hasher = app.runtime.identity.env.hasher
            // "$2b$05$…": the cost field decides how long bcrypt takes.
            #expect(hasher.dummyHash.hasPrefix("$2b$05$"))
            let real = try await hasher.hash("some long password")
            #expect(hasher.dummyHash.prefix(7) == real.prefix(7))
        }
    }
}
