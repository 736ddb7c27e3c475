import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation

extension TestAPI {
    func textPost(_ text: String, audience: PostAudience? = nil, token: String) async throws -> Post {
        let response = try await post("/api/v1/posts", CreatePostRequest(text: text, audience: audience), token: token)
        guard response.status == 201 else { throw TestFailure("publish: \(response.status) \(response.text)") }
        return try response.decode(Post.self)
    }

    func react(_ post: PostID, _ kind: ReactionKind = .love, token: String) async throws {
        let response = try await request(.put, "/api/v1/posts/\(post)/reaction", json: SetReactionRequest(kind: kind), token: token)
        guard response.status == 200 else { throw TestFailure("react: \(response.status) \(response.text)") }
    }

    func follow(_ account: AccountID, token: String) async throws {
        let response = try await post("/api/v1/accounts/\(account)/follow", token: token)
        guard response.status == 200 else { throw TestFailure("follow: \(response.status) \(response.text)") }
    }

    func groups(token: String, query: String = "") async throws -> [NotificationGroup] {
        let response = try await get("/api/v1/notifications\(query.isEmpty ? "" : "?\(query)")", token: token)
        guard response.status == 200 else { throw TestFailure("notifications: \(response.status) \(response.text)") }
        return try response.decode(Page<NotificationGroup>.self).items
    }

    func flat(token: String) async throws -> [AppNotification] {
        let response = try await get("/api/v1/notifications?grouped=false", token: token)
        guard response.status == 200 else { throw TestFailure("notifications: \(response.status) \(response.text)") }
        return try response.decode(Page<AppNotification>.self).items
    }

    func preferences(_ update: NotificationPreferencesUpdate, token: String) async throws -> NotificationPreferences {
        let response = try await request(.put, "/api/v1/notifications/preferences", json: update, token: token)
        guard response.status == 200 else { throw TestFailure("preferences: \(response.status) \(response.text)") }
        return try response.decode(NotificationPreferences.self)
    }
}

extension TestApp {
    /// Delivery rows of one channel for an account, as (state, detail).
    func deliveries(_ account: AccountID, channel: String) async throws -> [String] {
        try await kernel.database.sql.raw("""
            SELECT state FROM notification_deliveries WHERE account_id = \(bind: account.rawValue) AND channel = \(bind: channel) ORDER BY id
            """).all().map { try $0.decode(column: "state", as: String.self) }
    }
}

extension TestAPI {
    /// Signs in again (from the same device), for tests that move the clock past token lifetimes.
    func login(_ username: String) async throws -> AuthTokens {
        let response = try await post("/api/v1/auth/login", LoginRequest(login: username, password: TestAPI.defaultPassword))
        guard response.status == 200 else { throw TestFailure("login: \(response.status) \(response.text)") }
        return try response.decode(AuthTokens.self)
    }
}
