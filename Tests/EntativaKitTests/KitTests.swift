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

@Suite("EntativaKit: posts")
struct KitPostTests {
    @Test("Publish with an idempotency key, react, comment, share, save, read a hashtag")
    func postRoundTrip() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let port = try #require(api.port)
            let ada = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let bob = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            _ = try await ada.register(RegisterRequest(username: "kit_ada", email: "kit_ada@example.com", password: TestAPI.defaultPassword))
            _ = try await bob.register(RegisterRequest(username: "kit_bob", email: "kit_bob@example.com", password: TestAPI.defaultPassword))
            let form = CreatePostRequest(text: "From the SDK #café")
            let post = try await ada.publish(form, idempotencyKey: "kit-post-1")
            #expect(try await ada.publish(form, idempotencyKey: "kit-post-1").id == post.id, "a retried publish is the same post")
            #expect(try await bob.react(to: post.id, with: .haha).counts == ["haha": 1])
            let comment = try await bob.comment(on: post.id, "nice")
            _ = try await ada.comment(on: post.id, "thanks", replyingTo: comment.id)
            #expect(try await ada.comments(on: post.id).items.first?.replies.count == 1)
            let share = try await bob.share(post.id, SharePostRequest(text: "quote"))
            #expect(share.sharedPost?.id == post.id)
            let collection = try await bob.createCollection(named: "SDK")
            _ = try await bob.save(post.id, in: collection.id)
            #expect(try await bob.saved(in: collection.id).items.map(\.id) == [post.id])
            #expect(try await ada.posts(hashtag: "CAFÉ").items.map(\.id) == [post.id])
            #expect(try await ada.posts(of: post.author.id).items.count == 1)
            try await ada.deletePost(post.id)
            await #expect(throws: EntativaError.self) { try await bob.post(post.id) }
        }
    }
}
