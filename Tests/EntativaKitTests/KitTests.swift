import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Identity
import Testing

/// The SDK against a real server on a real socket.
@Suite("EntativaKit")
struct KitTests {
    func client(_ api: TestAPI) throws -> EntativaClient {
        let port = try #require(api.port)
        return EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
    }

    @Test("Register, read and edit the profile, list sessions, sign out")
    func accountRoundTrip() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let kit = try client(api)
            let tokens = try await kit.register(RegisterRequest(username: "kit_user", email: "kit@example.com", password: TestAPI.defaultPassword))
            #expect(try await kit.me().id == tokens.account.id)
            let edited = try await kit.updateMe(UpdateAccountRequest(displayName: "Kit", bio: "From the SDK"))
            #expect(edited.displayName == "Kit")
            #expect(try await kit.lookup(username: "KIT_USER").id == tokens.account.id)
            #expect(try await kit.sessions().items.count == 1)
            #expect(try await kit.instance().platform == .entativa)
            try await kit.logOut()
            await #expect(throws: EntativaError.self) { try await kit.me() }
        }
    }

    @Test("Problems come back typed, with their field errors")
    func problems() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let kit = try client(api)
            do {
                try await kit.register(RegisterRequest(username: "x", email: "bad", password: "short"))
                Issue.record("expected a problem")
            } catch EntativaError.problem(let problem) {
                #expect(problem.status == 422)
                #expect(Set(problem.errors?.map(\.field) ?? []) == ["username", "email", "password"])
            }
        }
    }

    @Test("An expired access token is refreshed once and the call retried")
    func refreshesOnExpiry() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let kit = try client(api)
            try await kit.register(RegisterRequest(username: "refresher", email: "r@example.com", password: TestAPI.defaultPassword))
            let before = await kit.tokens.current
            app.clock.advance(by: .seconds(16 * 60))
            async let first = kit.me()
            async let second = kit.me()
            let accounts = try await [first, second]
            #expect(accounts.allSatisfy { $0.username == "refresher" })
            let after = await kit.tokens.current
            #expect(after?.refreshToken != before?.refreshToken)
            // Only one refresh happened: the session is still alive.
            #expect(try await kit.sessions().items.count == 1)
        }
    }

    @Test("Two-factor sign-in through the SDK")
    func twoFactor() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let kit = try client(api)
            try await kit.register(RegisterRequest(username: "kit_mfa", email: "m@example.com", password: TestAPI.defaultPassword))
            let enrollment = try await kit.enrollTOTP()
            let totp = TOTP(secret: Base32.decode(enrollment.secret)!)
            _ = try await kit.confirmTOTP(code: totp.code(atStep: TOTP.step(at: app.clock.now())))
            let fresh = try client(api)
            guard case .mfaRequired(let challenge) = try await fresh.logIn("kit_mfa", password: TestAPI.defaultPassword) else {
                Issue.record("expected a challenge")
                return
            }
            app.clock.advance(by: .seconds(30))
            try await fresh.completeMFA(challenge, code: totp.code(atStep: TOTP.step(at: app.clock.now())))
            #expect(try await fresh.me().totpEnabled == true)
        }
    }
}
