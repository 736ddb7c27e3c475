import Foundation

/// An account as others see it. The counts are public, as on the account's profile page
/// (decision 0012); the fields after `postsCount` are only filled in for the owner and for
/// administrators.
public struct Account: Codable, Sendable, Equatable {
    public var id: AccountID
    public var username: String
    public var displayName: String
    public var bio: String
    public var links: [String]
    public var isPrivate: Bool
    public var role: Role
    public var createdAt: Date
    /// Accounts following this one.
    public var followersCount: Int
    /// Accounts this one follows.
    public var followingCount: Int
    /// Entativa only: this account's friends. Absent on Vignette, which has no friendships.
    public var friendsCount: Int?
    /// This account's live posts (shares included) in every audience, not only those the viewer may see.
    public var postsCount: Int
    public var email: String?
    public var emailVerified: Bool?
    public var totpEnabled: Bool?
    public var suspended: Bool?

    public init(
        id: AccountID, username: String, displayName: String, bio: String, links: [String],
        isPrivate: Bool, role: Role, createdAt: Date, followersCount: Int = 0, followingCount: Int = 0, friendsCount: Int? = nil,
        postsCount: Int = 0, email: String? = nil, emailVerified: Bool? = nil, totpEnabled: Bool? = nil, suspended: Bool? = nil
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.bio = bio
        self.links = links
        self.isPrivate = isPrivate
        self.role = role
        self.createdAt = createdAt
        self.followersCount = followersCount
        self.followingCount = followingCount
        self.friendsCount = friendsCount
        self.postsCount = postsCount
        self.email = email
        self.emailVerified = emailVerified
        self.totpEnabled = totpEnabled
        self.suspended = suspended
    }
}

/// A partial update: absent fields stay as they are.
public struct UpdateAccountRequest: Codable, Sendable {
    public var displayName: String?
    public var bio: String?
    public var links: [String]?
    public var isPrivate: Bool?

    public init(displayName: String? = nil, bio: String? = nil, links: [String]? = nil, isPrivate: Bool? = nil) {
        self.displayName = displayName
        self.bio = bio
        self.links = links
        self.isPrivate = isPrivate
    }
}

public struct DeleteAccountRequest: Codable, Sendable {
    public var password: String
    public init(password: String) { self.password = password }
}

public struct SuspendAccountRequest: Codable, Sendable {
    public var reason: String?
    public init(reason: String? = nil) { self.reason = reason }
}
