import EntativaCore
import EntativaModels
import SQLKit

/// How one viewer is connected to many accounts, for the domains that decide who sees what
/// (posts, stories, comments) without reading the graph's tables.
public struct ViewerConnections: Sendable {
    /// Accounts the viewer follows.
    public var following: Set<AccountID> = []
    /// The viewer's friends (Entativa).
    public var friends: Set<AccountID> = []
    /// Accounts that put the viewer on their close-friends list.
    public var closeFriendOf: Set<AccountID> = []
    /// Accounts on the viewer's own close-friends list.
    public var closeFriends: Set<AccountID> = []
    /// Accounts the viewer muted.
    public var muted: Set<AccountID> = []
    /// Accounts that follow the viewer.
    public var followers: Set<AccountID> = []

    public init() {}
}

public struct Connections: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    /// An anonymous viewer is connected to nobody.
    public func of(_ viewer: AccountID?, with accounts: [AccountID]) async throws -> ViewerConnections {
        var connections = ViewerConnections()
        let others = Array(Set(accounts)).filter { $0 != viewer }
        guard let viewer, !others.isEmpty else { return connections }
        let db = env.database.sql
        connections.following = Set(try await Edge.follow.targets(of: viewer, among: others, on: db).map(AccountID.init(rawValue:)))
        connections.friends = Set(try await Edge.friendship.targets(of: viewer, among: others, on: db).map(AccountID.init(rawValue:)))
        connections.closeFriendOf = Set(
            try await Edge.closeFriend.sources(pointingAt: viewer, among: others, on: db).map(AccountID.init(rawValue:)))
        return connections
    }

    /// `of` plus the viewer's own lists (close friends, mutes), for deciding what reaches the
    /// viewer rather than what the viewer may see.
    public func ofRecipient(_ viewer: AccountID, with accounts: [AccountID]) async throws -> ViewerConnections {
        var connections = try await of(viewer, with: accounts)
        let others = Array(Set(accounts)).filter { $0 != viewer }
        guard !others.isEmpty else { return connections }
        let db = env.database.sql
        connections.closeFriends = Set(try await Edge.closeFriend.targets(of: viewer, among: others, on: db).map(AccountID.init(rawValue:)))
        connections.muted = Set(try await Edge.mute.targets(of: viewer, among: others, on: db).map(AccountID.init(rawValue:)))
        connections.followers = Set(try await Edge.follow.sources(pointingAt: viewer, among: others, on: db).map(AccountID.init(rawValue:)))
        return connections
    }
}
