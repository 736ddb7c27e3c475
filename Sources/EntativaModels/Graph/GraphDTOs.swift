import Foundation

/// How the caller stands with one other account.
public struct Relationship: Codable, Sendable, Equatable {
    public var id: AccountID
    public var following: Bool
    public var followedBy: Bool
    /// The caller asked to follow this private account and waits for approval.
    public var requested: Bool
    /// This account asked to follow the caller.
    public var requestedBy: Bool
    public var blocking: Bool
    public var blockedBy: Bool
    public var muting: Bool
    public var closeFriend: Bool
    /// Entativa only: friends, and friend requests pending either way.
    public var friends: Bool
    public var friendRequested: Bool
    public var friendRequestedBy: Bool

    public init(
        id: AccountID, following: Bool = false, followedBy: Bool = false, requested: Bool = false, requestedBy: Bool = false,
        blocking: Bool = false, blockedBy: Bool = false, muting: Bool = false, closeFriend: Bool = false, friends: Bool = false,
        friendRequested: Bool = false, friendRequestedBy: Bool = false
    ) {
        self.id = id
        self.following = following
        self.followedBy = followedBy
        self.requested = requested
        self.requestedBy = requestedBy
        self.blocking = blocking
        self.blockedBy = blockedBy
        self.muting = muting
        self.closeFriend = closeFriend
        self.friends = friends
        self.friendRequested = friendRequested
        self.friendRequestedBy = friendRequestedBy
    }
}

public struct SendFriendRequest: Codable, Sendable {
    public var accountId: AccountID
    public init(accountId: AccountID) { self.accountId = accountId }
}

/// A pending friend request, as its sender or its recipient sees it. A request is addressed by
/// the other account's ID (`account.id`): accept or decline it at
/// `/api/v1/friend-requests/{account_id}/accept|decline`, cancel it with
/// `DELETE /api/v1/friend-requests/{account_id}` (decision 0012).
public struct FriendRequest: Codable, Sendable, Equatable {
    /// The other account: the recipient for outgoing requests, the sender for incoming ones.
    public var account: Account
    public var createdAt: Date

    public init(account: Account, createdAt: Date) {
        self.account = account
        self.createdAt = createdAt
    }
}

/// Someone who asked to follow the caller, addressed by `account.id` at
/// `/api/v1/follow-requests/{account_id}/approve|reject`.
public struct FollowRequest: Codable, Sendable, Equatable {
    public var account: Account
    public var createdAt: Date

    public init(account: Account, createdAt: Date) {
        self.account = account
        self.createdAt = createdAt
    }
}

/// Why an account is suggested: friends we share (Entativa), or accounts I follow who follow it.
public enum SuggestionReasonKind: String, Codable, Sendable, CaseIterable {
    case mutualFriends = "mutual_friends"
    case followedByFollowing = "followed_by_following"
    /// Started a Takes trend that is growing; `count` is the creators who joined in the last day.
    case startedTrend = "started_trend"
}

extension SuggestionReasonKind: WireEnum {}

public struct SuggestionReason: Codable, Sendable, Equatable {
    public var kind: SuggestionReasonKind
    /// How many mutual friends, or how many of the accounts I follow follow it.
    public var count: Int

    public init(kind: SuggestionReasonKind, count: Int) {
        self.kind = kind
        self.count = count
    }
}

/// An account I might know or want to follow, and why.
public struct AccountSuggestion: Codable, Sendable {
    public var account: Account
    public var reason: SuggestionReason

    public init(account: Account, reason: SuggestionReason) {
        self.account = account
        self.reason = reason
    }
}
