import EntativaModels
import Foundation

/// Which friend requests to list: those sent to me, or those I sent.
public enum FriendRequestDirection: String, Sendable, CaseIterable {
    case incoming
    case outgoing
}

/// The social graph. Every request, follow or friend, is addressed by the other account's ID:
/// the ID you sent it to, or the `account.id` of a listed request (decision 0012).
extension EntativaClient {
    /// Follows a public account at once, or asks a private one.
    public func follow(_ id: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/accounts/\(id)/follow")
    }

    /// Stops following, or withdraws a follow request.
    public func unfollow(_ id: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/accounts/\(id)/follow")
    }

    /// Makes `id` stop following me.
    public func removeFollower(_ id: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/accounts/\(id)/follower")
    }

    public func followers(of id: AccountID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Account> {
        try await send("GET", "/api/v1/accounts/\(id)/followers", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }

    public func following(of id: AccountID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Account> {
        try await send("GET", "/api/v1/accounts/\(id)/following", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }

    /// Who asked to follow me; answer one with its `account.id`.
    public func followRequests(cursor: String? = nil, limit: Int? = nil) async throws -> Page<FollowRequest> {
        try await send("GET", "/api/v1/follow-requests", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// Lets `requester` follow me.
    public func approveFollowRequest(from requester: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/follow-requests/\(requester)/approve")
    }

    public func rejectFollowRequest(from requester: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/follow-requests/\(requester)/reject")
    }

    public func block(_ id: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/accounts/\(id)/block")
    }

    public func unblock(_ id: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/accounts/\(id)/block")
    }

    public func mute(_ id: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/accounts/\(id)/mute")
    }

    public func unmute(_ id: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/accounts/\(id)/mute")
    }

    public func addCloseFriend(_ id: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/accounts/\(id)/close-friend")
    }

    public func removeCloseFriend(_ id: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/accounts/\(id)/close-friend")
    }

    public func blocks(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Account> {
        try await send("GET", "/api/v1/blocks", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func mutes(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Account> {
        try await send("GET", "/api/v1/mutes", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func closeFriends(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Account> {
        try await send("GET", "/api/v1/close-friends", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// How I stand with each of `ids` (at most 100), in the order given; one complete page.
    public func relationships(with ids: [AccountID]) async throws -> Page<Relationship> {
        try await send("GET", "/api/v1/accounts/relationships", query: ids.map { URLQueryItem(name: "id[]", value: $0.description) })
    }

    // MARK: Friendships (Entativa)

    /// Asks `id` to be friends (or accepts at once when `id` already asked me). The request is
    /// then addressed by `id`. Pass an idempotency key when retrying after a lost answer.
    public func sendFriendRequest(to id: AccountID, idempotencyKey: String? = nil) async throws -> Relationship {
        try await send("POST", "/api/v1/friend-requests", body: SendFriendRequest(accountId: id), idempotencyKey: idempotencyKey)
    }

    public func friendRequests(
        _ direction: FriendRequestDirection = .incoming, cursor: String? = nil, limit: Int? = nil
    ) async throws -> Page<FriendRequest> {
        var query = Self.pageQuery(cursor: cursor, limit: limit)
        query.append(URLQueryItem(name: "direction", value: direction.rawValue))
        return try await send("GET", "/api/v1/friend-requests", query: query)
    }

    /// Accepts the request `sender` sent me.
    public func acceptFriendRequest(from sender: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/friend-requests/\(sender)/accept")
    }

    /// Declines the request `sender` sent me.
    public func declineFriendRequest(from sender: AccountID) async throws -> Relationship {
        try await send("POST", "/api/v1/friend-requests/\(sender)/decline")
    }

    /// Cancels the request I sent `recipient`.
    public func cancelFriendRequest(to recipient: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/friend-requests/\(recipient)")
    }

    public func unfriend(_ id: AccountID) async throws -> Relationship {
        try await send("DELETE", "/api/v1/friends/\(id)")
    }

    public func friends(of id: AccountID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Account> {
        try await send("GET", "/api/v1/accounts/\(id)/friends", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }
}

extension EntativaClient {
    /// People I may know and accounts to follow, each with why.
    public func accountSuggestions(limit: Int? = nil) async throws -> Page<AccountSuggestion> {
        try await send("GET", "/api/v1/suggestions/accounts", query: Self.pageQuery(cursor: nil, limit: limit))
    }

    /// Stops suggesting `id`.
    public func dismissAccountSuggestion(_ id: AccountID) async throws {
        _ = try await send("DELETE", "/api/v1/suggestions/accounts/\(id)", as: Empty.self)
    }
}
