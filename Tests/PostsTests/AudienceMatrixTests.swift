import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

/// Every read path × every audience × every kind of viewer: who sees a post is decided by one
/// rule, and this proves each route applies it.
@Suite("Posts: audience × viewer × route")
struct AudienceMatrixTests {
    enum Viewer: String, CaseIterable {
        case author, follower, friend, closeFriend, stranger, blocked, anonymous
    }

    static func expected(_ viewer: Viewer, _ audience: PostAudience) -> Bool {
        switch (viewer, audience) {
        case (.author, _): true
        case (.blocked, _): false
        case (_, .public): true
        case (.follower, .followers), (.friend, .friends), (.closeFriend, .closeFriends): true
        default: false
        }
    }

    @Test("Each viewer sees exactly the audiences they belong to, on every read route", arguments: Platform.allCases)
    func matrix(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let author = try await api.register("author")
            var tokens: [Viewer: String] = [.author: author.accessToken]
            for viewer in [Viewer.follower, .friend, .closeFriend, .stranger, .blocked] {
                let account = try await api.register(viewer.rawValue.lowercased())
                tokens[viewer] = account.accessToken
                switch viewer {
                case .follower: _ = try await api.post("/api/v1/accounts/\(author.account.id)/follow", token: account.accessToken)
                case .friend: if platform == .entativa { try await api.befriend(author, account) }
                case .closeFriend: _ = try await api.post("/api/v1/accounts/\(account.account.id)/close-friend", token: author.accessToken)
                case .blocked: _ = try await api.post("/api/v1/accounts/\(account.account.id)/block", token: author.accessToken)
                default: break
                }
            }
            let audiences: [PostAudience] = platform == .entativa ? [.public, .friends, .closeFriends, .onlyMe] : [.public, .followers, .closeFriends, .onlyMe]
            var posts: [PostAudience: (post: PostID, comment: CommentID)] = [:]
            for audience in audiences {
                let media = platform == .vignette ? [try await api.readyImage(app, token: author.accessToken)] : nil
                let post = try await api.publish(CreatePostRequest(text: "for \(audience.rawValue) #matrix", mediaIds: media, audience: audience), token: author.accessToken)
                let comment = try await api.post("/api/v1/posts/\(post.id)/comments", CreateCommentRequest(text: "note"), token: author.accessToken)
                    .decode(Comment.self)
                posts[audience] = (post.id, comment.id)
            }

            let viewers = Viewer.allCases.filter { platform == .entativa || $0 != .friend }
            var checked = 0
            for viewer in viewers {
                let token = tokens[viewer]
                let profile = try await api.get("/api/v1/accounts/\(author.account.id)/posts?limit=100", token: token)
                let profileIDs = profile.status == 200 ? Set(try profile.decode(Page<Post>.self).items.map(\.id)) : []
                #expect((profile.status == 404) == (viewer == .blocked), "\(viewer) profile")
                let tagged = Set(try await api.get("/api/v1/hashtags/matrix/posts?limit=100", token: token).decode(Page<Post>.self).items.map(\.id))
                for audience in audiences {
                    let (post, comment) = posts[audience]!
                    let visible = Self.expected(viewer, audience)
                    let label = "\(platform) \(viewer) × \(audience.rawValue)"
                    for path in [
                        "/api/v1/posts/\(post)", "/api/v1/posts/\(post)/history", "/api/v1/posts/\(post)/comments",
                        "/api/v1/posts/\(post)/reactions", "/api/v1/posts/\(post)/shares", "/api/v1/comments/\(comment)",
                        "/api/v1/comments/\(comment)/reactions",
                    ] {
                        let status = try await api.get(path, token: token).status
                        #expect(status == (visible ? 200 : 404), "\(label) \(path) → \(status)")
                        checked += 1
                    }
                    #expect(profileIDs.contains(post) == visible, "\(label) profile list")
                    #expect(tagged.contains(post) == visible, "\(label) hashtag list")
                    if let token {
                        let saved = try await api.post("/api/v1/posts/\(post)/save", token: token).status
                        #expect(saved == (visible ? 200 : 404), "\(label) save → \(saved)")
                        let reacted = try await api.put("/api/v1/posts/\(post)/reaction", SetReactionRequest(kind: .like), token: token).status
                        #expect(reacted == (visible ? 200 : 404), "\(label) react → \(reacted)")
                        let commented = try await api.post("/api/v1/posts/\(post)/comments", CreateCommentRequest(text: "hi"), token: token).status
                        #expect(commented == (visible ? 201 : 404), "\(label) comment → \(commented)")
                    }
                    checked += 2
                }
            }
            #expect(checked > 100)
        }
    }

    @Test("A private account's public posts reach only its approved followers", arguments: Platform.allCases)
    func privateAccount(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let owner = try await api.register("owner")
            let approved = try await api.register("approved")
            let waiting = try await api.register("waiting")
            _ = try await api.patch("/api/v1/accounts/me", UpdateAccountRequest(isPrivate: true), token: owner.accessToken)
            _ = try await api.post("/api/v1/accounts/\(owner.account.id)/follow", token: approved.accessToken)
            _ = try await api.post("/api/v1/accounts/\(owner.account.id)/follow", token: waiting.accessToken)
            _ = try await api.post("/api/v1/follow-requests/\(approved.account.id)/approve", token: owner.accessToken)
            let media = platform == .vignette ? [try await api.readyImage(app, token: owner.accessToken)] : nil
            let post = try await api.publish(CreatePostRequest(text: "public, but private account", mediaIds: media), token: owner.accessToken)
            #expect(try await api.get("/api/v1/posts/\(post.id)", token: approved.accessToken).status == 200)
            #expect(try await api.get("/api/v1/posts/\(post.id)", token: waiting.accessToken).status == 404)
            #expect(try await api.get("/api/v1/posts/\(post.id)").status == 404)
            // One rule with its follower lists: the account is visible, its content is refused.
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/posts").status == 403)
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/posts", token: waiting.accessToken).status == 403)
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/followers", token: waiting.accessToken).status == 403)
            #expect(try await api.get("/api/v1/accounts/\(owner.account.id)/posts", token: approved.accessToken).decode(Page<Post>.self).items.map(\.id) == [post.id])
        }
    }
}
