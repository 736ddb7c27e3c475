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

    public init(
        id: AccountID, following: Bool = false, followedBy: Bool = false, requested: Bool = false, requestedBy: Bool = false,
        blocking: Bool = false, blockedBy: Bool = false, muting: Bool = false, closeFriend: Bool = false
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
    }
}

/// Someone who asked to follow the caller.
public struct FollowRequest: Codable, Sendable, Equatable {
    public var account: Account
    public var createdAt: Date

    public init(account: Account, createdAt: Date) {
        self.account = account
        self.createdAt = createdAt
    }
}
