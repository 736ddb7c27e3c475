/// Which network a deployment serves. The rules that differ live behind this switch.
public enum Platform: String, Codable, Sendable, CaseIterable {
    /// Facebook-like: friendships, text posts, reactions, events.
    case entativa
    /// Instagram-like: instant follows, media-first posts, Takes.
    case vignette

    /// The network's name, which is also a server's name unless its operator picks another.
    public var displayName: String {
        switch self {
        case .entativa: "Entativa"
        case .vignette: "Vignette"
        }
    }
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
    /// Every configured limit by name; durations in seconds (`…_seconds`), sizes in bytes.
    public var limits: [String: Double]

    public init(name: String, platform: Platform, version: String, limits: [String: Double]) {
        self.name = name
        self.platform = platform
        self.version = version
        self.limits = limits
    }
}
