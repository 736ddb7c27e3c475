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

    /// Whether the viewer may see what `author` shares with everyone: anyone may, unless the
    /// account is private; then only its followers and friends. Posts and stories both ask.
    public func reachesEveryone(of author: Account) -> Bool {
        !author.isPrivate || following.contains(author.id) || friends.contains(author.id)
    }
}

/// An ordered pair of accounts: (recipient, actor) or (source, target) as the set says.
public struct AccountPair: Hashable, Sendable {
    public var first: AccountID
    public var second: AccountID

    public init(_ first: AccountID, _ second: AccountID) {
        self.first = first
        self.second = second
    }

    var reversed: AccountPair { AccountPair(second, first) }
}

/// How many recipients stand with many actors, each set holding (recipient, actor) pairs, for
/// deciding in a handful of queries what reaches whom.
public struct RecipientConnections: Sendable {
    /// The recipient follows the actor.
    public var following: Set<AccountPair> = []
    /// The actor follows the recipient.
    public var followers: Set<AccountPair> = []
    public var friends: Set<AccountPair> = []
    /// The actor is on the recipient's close-friends list.
    public var closeFriends: Set<AccountPair> = []
    public var muted: Set<AccountPair> = []
    /// Either blocks the other.
    public var blocked: Set<AccountPair> = []
}

public struct Connections: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    /// An anonymous viewer is connected to nobody.
    public func of(_ viewer: AccountID?, with accounts: [AccountID]) async throws -> ViewerConnections {
        var connections = ViewerConnections()
        let others = Array(Set(accounts)).filter { $0 != viewer }
        guard let viewer, !others.isEmpty else { return connections }
        for (other, edges) in try await env.caches.edges(of: viewer, with: others) {
            if edges.contains(.following) { connections.following.insert(other) }
            if edges.contains(.friends) { connections.friends.insert(other) }
            if edges.contains(.closeFriendOf) { connections.closeFriendOf.insert(other) }
        }
        return connections
    }

    public func between(recipients: [AccountID], actors: [AccountID]) async throws -> RecipientConnections {
        var result = RecipientConnections()
        let recipients = Array(Set(recipients))
        let actors = Array(Set(actors))
        guard !recipients.isEmpty, !actors.isEmpty else { return result }
        let db = env.database.sql
        result.following = try await Edge.follow.pairs(from: recipients, to: actors, on: db)
        result.followers = Set(try await Edge.follow.pairs(from: actors, to: recipients, on: db).map(\.reversed))
        result.friends = try await Edge.friendship.pairs(from: recipients, to: actors, on: db)
        result.closeFriends = try await Edge.closeFriend.pairs(from: recipients, to: actors, on: db)
        result.muted = try await Edge.mute.pairs(from: recipients, to: actors, on: db)
        result.blocked = try await Edge.block.pairs(from: recipients, to: actors, on: db)
            .union(Edge.block.pairs(from: actors, to: recipients, on: db).map(\.reversed))
        return result
    }

    /// `of` plus the viewer's own lists (close friends, mutes), for deciding what reaches the
    /// viewer rather than what the viewer may see.
    public func ofRecipient(_ viewer: AccountID, with accounts: [AccountID]) async throws -> ViewerConnections {
        var connections = try await of(viewer, with: accounts)
        for (other, edges) in try await env.caches.edges(of: viewer, with: accounts) {
            if edges.contains(.closeFriend) { connections.closeFriends.insert(other) }
            if edges.contains(.muting) { connections.muted.insert(other) }
            if edges.contains(.followedBy) { connections.followers.insert(other) }
        }
        return connections
    }
}
