import EntativaCore

/// The graph's settings: how many accounts one may follow, and Entativa's friendship caps. No
/// variable sets them yet.
public struct GraphSettings: ModuleSettings {
    /// The most accounts one account may follow (or ask to follow), as Instagram caps it: a home
    /// timeline reads every followed account's posts, so the number bounds what one reader costs.
    public var maxFollowing = 7_500
    /// The most friends an account may have, friend requests it may send a day, and requests it
    /// may have waiting for an answer.
    public var maxFriends = 1500
    public var friendRequestsPerDay = 50
    public var maxPendingFriendRequests = 200

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
    }

    /// The graph's part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        [
            "max_following": Double(maxFollowing),
            "max_friends": Double(maxFriends),
            "friend_requests_per_day": Double(friendRequestsPerDay),
            "max_pending_friend_requests": Double(maxPendingFriendRequests),
        ]
    }
}
