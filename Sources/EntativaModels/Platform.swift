/// Which network a deployment serves. The rules that differ live behind this switch.
public enum Platform: String, Codable, Sendable, CaseIterable {
    /// Facebook-like: friendships, text posts, reactions, events.
    case entativa
    /// Instagram-like: instant follows, media-first posts, Takes.
    case vignette
}

public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case user
    case moderator
    case admin

    private var rank: Int {
        switch self {
        case .user: 0
        case .moderator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// What a client learns about the server before signing in.
public struct InstanceInfo: Codable, Sendable {
    public var name: String
    public var platform: Platform
    public var version: String
    public var limits: [String: Int]

    public init(name: String, platform: Platform, version: String, limits: [String: Int]) {
        self.name = name
        self.platform = platform
        self.version = version
        self.limits = limits
    }
}
