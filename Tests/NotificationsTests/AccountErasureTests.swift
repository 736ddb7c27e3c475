import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Identity
import SQLKit
import Testing

/// The whole of account deletion, across every domain: an account that touched every table is
/// deleted, the jobs run, and then no row of any table names it but its reserved username.
@Suite("Account deletion leaves nothing behind")
struct AccountErasureTests {
    /// The payload of identity's purge job, to run it once more.
    struct PurgeAgain: Codable, Sendable {
        var accountId: AccountID
    }

    /// What the deleted account did and what others did to it, by ID.
    struct Scene: Sendable {
        var id: AccountID
        var token: String
        var bob: AuthTokens
        var own: Post
        var bobs: Post
        var photo: MediaID
        var spare: MediaID
    }

    @Test("After the purge no column of any table holds the deleted account's ID (only its reserved accounts row), and others' counters equal COUNT(*)")
    func nothingLeft() async throws {
        try await TestApp.run { app, api in
            let scene = try await Self.touchEverything(app, api)
            try await Self.expectEverythingTouched(app, api, scene)
            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: scene.token).status == 202)
            try await Self.expectHiddenAtOnce(app, api, scene)
            try await app.runJobs()
            // Someone keeps trying the gone name: the counters must not bring its ID back.
            let retry = try await api.post("/api/v1/auth/login", LoginRequest(login: "gone", password: "not the password at all"))
            #expect(retry.status == 401)
            try await Self.expectNothingLeft(app, api, scene)
        }
    }

    /// An account that writes to every table, and others who interact with it.
    static func touchEverything(_ app: TestApp, _ api: TestAPI) async throws -> Scene {
        let signup = try await api.post(
            "/api/v1/auth/register", RegisterRequest(username: "gone", email: "gone@example.com", password: TestAPI.defaultPassword),
            headers: [.idempotencyKey: "gone-signup"])
        let first = try signup.decode(AuthTokens.self)
        let id = first.account.id
        let bob = try await api.register("bob")
        let cat = try await api.register("cat")
        let dan = try await api.register("dan")
        let eve = try await api.register("eve")
        let fay = try await api.register("fay")
        let hal = try await api.register("hal")

        // Identity: a second session, a rotated refresh token, two-factor with recovery codes, a failed login.
        let refreshed = try await api.post("/api/v1/auth/refresh", RefreshRequest(refreshToken: first.refreshToken)).decode(AuthTokens.self)
        _ = try await api.post("/api/v1/auth/login", LoginRequest(login: "gone", password: "wrong password!!"))
        let second = try await api.login("gone")
        let enrollment = try await api.post("/api/v1/auth/totp", token: second.accessToken).decode(TOTPEnrollment.self)
        let code = TOTP(secret: Base32.decode(enrollment.secret)!).code(atStep: TOTP.step(at: app.clock.now()))
        #expect(try await api.post("/api/v1/auth/totp/confirm", TOTPCodeRequest(code: code), token: second.accessToken).status == 200)
        let gone = refreshed.accessToken

        // Notifications: preferences (mail for follows and comments) and a push device, for gone and bob.
        let mail = NotificationPreferencesUpdate(types: ["follow": TypePreferencePatch(email: true), "comment": TypePreferencePatch(email: true)])
        _ = try await api.preferences(mail, token: gone)
        _ = try await api.preferences(mail, token: bob.accessToken)
        _ = try await api.post("/api/v1/push/devices", RegisterPushDeviceRequest(platform: .fcm, token: "gone-device", appId: "com.example"), token: gone)

        // Graph: follows both ways, a follow request, a friendship, friend requests both ways, blocks, mutes, close friends.
        #expect(try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: eve.accessToken).status == 200)
        try await api.follow(bob.account.id, token: gone)
        try await api.follow(id, token: bob.accessToken)
        _ = try await api.post("/api/v1/accounts/\(eve.account.id)/follow", token: gone)
        _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: dan.account.id), token: gone)
        _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: id), token: dan.accessToken)
        _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: cat.account.id), token: gone)
        _ = try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: id), token: fay.accessToken)
        _ = try await api.post("/api/v1/accounts/\(hal.account.id)/block", token: gone)
        _ = try await api.post("/api/v1/accounts/\(cat.account.id)/mute", token: gone)
        _ = try await api.post("/api/v1/accounts/\(dan.account.id)/close-friend", token: gone)
        _ = try await api.post("/api/v1/accounts/\(id)/mute", token: eve.accessToken)
        _ = try await api.post("/api/v1/accounts/\(id)/close-friend", token: bob.accessToken)

        // Media: a photo on a post, an unattached one, and an unfinished tus upload.
        let png = try await Data(contentsOf: Fixtures.png(width: 64, height: 48))
        let photo = try await api.uploadMedia(png, filename: "a.png", token: gone).decode(MediaAttachment.self)
        let spare = try await api.uploadMedia(png, filename: "b.png", token: gone).decode(MediaAttachment.self)
        var tus: HTTPFields = [HTTPField.Name("Tus-Resumable")!: "1.0.0", .authorization: "Bearer \(gone)"]
        tus[HTTPField.Name("Upload-Length")!] = "100"
        let upload = try #require(try await api.raw(.post, "/api/v1/uploads", headers: tus).headers[.location])
        tus[HTTPField.Name("Upload-Length")!] = nil
        tus[HTTPField.Name("Upload-Offset")!] = "0"
        tus[.contentType] = "application/offset+octet-stream"
        #expect(try await api.raw(.patch, URLComponents(string: upload)!.path, headers: tus, body: Data(count: 10)).status == 204)
        try await app.runJobs()

        // Posts: gone's own post (mentioning bob, with the photo), and what others did to it.
        let own = try await api.post(
            "/api/v1/posts", CreatePostRequest(text: "mine @bob", mediaIds: [photo.id]), token: gone, headers: [.idempotencyKey: "gone-post"]
        ).decode(Post.self)
        let bobsComment = try await api.post("/api/v1/posts/\(own.id)/comments", CreateCommentRequest(text: "nice"), token: bob.accessToken)
            .decode(EntativaModels.Comment.self)
        _ = try await api.post(
            "/api/v1/posts/\(own.id)/comments", CreateCommentRequest(text: "thanks", inReplyToId: bobsComment.id), token: gone)
        try await api.react(own.id, .haha, token: cat.accessToken)
        _ = try await api.post("/api/v1/posts/\(own.id)/save", SavePostRequest(), token: bob.accessToken)
        _ = try await api.post("/api/v1/posts/\(own.id)/share", SharePostRequest(text: "see", audience: nil), token: cat.accessToken)

        // ... and what gone did to bob's post, which mentions gone.
        let bobs = try await api.textPost("hello @gone", token: bob.accessToken)
        let top = try await api.post("/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "top"), token: bob.accessToken)
            .decode(EntativaModels.Comment.self)
        let gones = try await api.post("/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "from gone"), token: gone)
            .decode(EntativaModels.Comment.self)
        _ = try await api.post("/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "a reply", inReplyToId: top.id), token: gone)
        _ = try await api.post(
            "/api/v1/posts/\(bobs.id)/comments", CreateCommentRequest(text: "@gone answered", inReplyToId: gones.id), token: cat.accessToken)
        try await api.react(bobs.id, .love, token: gone)
        try await api.react(bobs.id, .wow, token: cat.accessToken)
        _ = try await api.request(.put, "/api/v1/comments/\(top.id)/reaction", json: SetReactionRequest(kind: .sad), token: gone)
        _ = try await api.request(.put, "/api/v1/comments/\(gones.id)/reaction", json: SetReactionRequest(kind: .like), token: bob.accessToken)
        _ = try await api.post("/api/v1/posts/\(bobs.id)/share", SharePostRequest(text: nil, audience: nil), token: gone)
        let collection = try await api.post("/api/v1/collections", CollectionForm(name: "keep"), token: gone).decode(SavedCollection.self)
        _ = try await api.post("/api/v1/posts/\(bobs.id)/save", SavePostRequest(collectionId: collection.id), token: gone)
        _ = try await api.post("/api/v1/auth/email/resend", token: gone, headers: [.idempotencyKey: "gone-resend"])
        try await app.runJobs()
        return Scene(id: id, token: gone, bob: bob, own: own, bobs: bobs, photo: photo.id, spare: spare.id)
    }

    static func expectEverythingTouched(_ app: TestApp, _ api: TestAPI, _ scene: Scene) async throws {
        let id = scene.id
        let bob = scene.bob
        let database = app.kernel.database
        let before = try await DataInvariants.references(to: id.rawValue, in: database, except: ("accounts", id.rawValue))
        let touched = Set(before.map { String($0.prefix { $0 != "." }) })
        let expected: Set<String> = [
            "sessions", "recovery_codes", "account_tokens", "security_events", "follows", "follow_requests", "friendships",
            "friend_requests", "friend_request_sends", "blocks", "mutes", "close_friends", "media", "uploads", "posts", "comments", "reactions",
            "shares", "saves", "collections", "post_mentions", "comment_mentions", "notifications", "notification_groups",
            "notification_preferences", "notification_deliveries", "push_devices", "realtime_events", "idempotency_keys", "rate_limits",
        ]
        #expect(expected.subtracting(touched).isEmpty, "untouched: \(expected.subtracting(touched).sorted())")
        #expect(try await DataInvariants.counterDrift(in: database).isEmpty)
        #expect(try await api.groups(token: bob.accessToken).contains { $0.actors.contains { $0.id == id } })
    }

    /// Before any job runs, nothing of the account is served.
    static func expectHiddenAtOnce(_ app: TestApp, _ api: TestAPI, _ scene: Scene) async throws {
        let (id, bob, own, bobs) = (scene.id, scene.bob, scene.own, scene.bobs)
        #expect(try await api.get("/api/v1/posts/\(own.id)", token: bob.accessToken).status == 404)
        #expect(try await api.get("/api/v1/posts/\(own.id)").status == 404)
        #expect(try await api.get("/api/v1/accounts/\(id)").status == 404)
        #expect(try await api.get("/api/v1/accounts/\(id)/posts", token: bob.accessToken).status == 404)
        #expect(try await api.get(try #require(own.media.first?.variants.first).url.replacingOccurrences(of: app.kernel.config.publicURL, with: "")).status == 404)
        #expect(try await api.get("/api/v1/media/\(scene.spare)", token: bob.accessToken).status == 404)
        let reactors = try await api.get("/api/v1/posts/\(bobs.id)/reactions", token: bob.accessToken).decode(Page<Reaction>.self)
        #expect(!reactors.items.contains { $0.account.id == id })
        let thread = try await api.get("/api/v1/posts/\(bobs.id)/comments", token: bob.accessToken).decode(Page<EntativaModels.Comment>.self)
        #expect(!thread.items.flatMap { [$0] + $0.replies }.contains { $0.author?.id == id })
        #expect(try await api.get("/api/v1/posts/\(bobs.id)/shares", token: bob.accessToken).decode(Page<Post>.self).items.isEmpty)
        #expect(!(try await api.groups(token: bob.accessToken)).contains { $0.actors.contains { $0.id == id } })
        #expect(!(try await api.flat(token: bob.accessToken)).contains { $0.actor?.id == id })
        let followers = try await api.get("/api/v1/accounts/\(bob.account.id)/followers", token: bob.accessToken).decode(Page<Account>.self)
        #expect(!followers.items.contains { $0.id == id })
    }

    static func expectNothingLeft(_ app: TestApp, _ api: TestAPI, _ scene: Scene) async throws {
        let (id, bob, bobs, photo, spare) = (scene.id, scene.bob, scene.bobs, scene.photo, scene.spare)
        let database = app.kernel.database
        let left = try await DataInvariants.references(to: id.rawValue, in: database, except: ("accounts", id.rawValue))
        #expect(left.isEmpty, "still naming the account: \(left)")
        let reserved = try await database.sql.raw("SELECT username, state FROM accounts WHERE id = \(bind: id.rawValue)").first()
        #expect(try reserved?.decode(column: "username", as: String.self) == "gone")
        #expect(try reserved?.decode(column: "state", as: String.self) == "deleted")
        let drift = try await DataInvariants.counterDrift(in: database)
        #expect(drift.isEmpty, "\(drift)")
        let files = (FileManager.default.enumerator(atPath: app.kernel.config.dataDirectory + "/blobs")?.allObjects as? [String] ?? [])
        #expect(!files.contains { $0.hasPrefix("media/\(photo)") || $0.hasPrefix("media/\(spare)") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: app.kernel.config.dataDirectory + "/uploads").isEmpty)
        // Others' own things stay: bob's post, with cat's reaction and comments.
        let post = try await api.get("/api/v1/posts/\(bobs.id)", token: bob.accessToken).decode(Post.self)
        #expect(post.reactions.total == 1 && post.commentCount == 2 && post.shareCount == 0 && post.mentions.isEmpty)

        // A second purge (a retried job) changes nothing and fails nothing.
        let jobs = app.kernel.jobs
        try await database.transaction { db in
            try await jobs.enqueue(JobDefinition<PurgeAgain>("identity.purge_account"), PurgeAgain(accountId: id), on: db)
        }
        try await app.runJobs()
        #expect(try await DataInvariants.references(to: id.rawValue, in: database, except: ("accounts", id.rawValue)).isEmpty)
        #expect(try await app.kernel.jobs.list(state: .dead).isEmpty)
    }
}
