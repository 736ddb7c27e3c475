import Foundation

/// An account as others see it. The fields after `createdAt` are only filled in for the owner
/// and for administrators.
public struct Account: Codable, Sendable, Equatable {
    public var id: AccountID
    public var username: String
    public var displayName: String
    public var bio: String
    public var links: [String]
    public var isPrivate: Bool
    public var role: Role
    public var createdAt: Date
    public var email: String?
    public var emailVerified: Bool?
    public var totpEnabled: Bool?
    public var suspended: Bool?

    public init(
        id: AccountID, username: String, displayName: String, bio: String, links: [String],
        isPrivate: Bool, role: Role, createdAt: Date, email: String? = nil, emailVerified: Bool? = nil,
        totpEnabled: Bool? = nil, suspended: Bool? = nil
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.bio = bio
        self.links = links
        self.isPrivate = isPrivate
        self.role = role
        self.createdAt = createdAt
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
