import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// How the caller stands with other accounts, many at once.
public struct Relationships: Sendable {
    let env: GraphEnvironment
    static let maxPerCall = 100

    public init(env: GraphEnvironment) { self.env = env }

    public func one(_ id: AccountID, caller: Principal) async throws -> Relationship {
        try await many([id], caller: caller)[0]
    }

    /// One answer per ID, in the order asked, duplicates included.
    public func many(_ ids: [AccountID], caller: Principal) async throws -> [Relationship] {
        guard ids.count <= Self.maxPerCall else {
            throw AppError.invalid(field: "id[]", code: "too_many", message: "may name at most \(Self.maxPerCall) accounts")
        }
        let db = env.database.sql
        let me = caller.accountID
        let unique = Array(Set(ids))
        let following = try await Edge.follow.targets(of: me, among: unique, on: db)
        let followedBy = try await Edge.follow.sources(pointingAt: me, among: unique, on: db)
        let requested = try await Edge.followRequest.targets(of: me, among: unique, on: db)
        let requestedBy = try await Edge.followRequest.sources(pointingAt: me, among: unique, on: db)
        let blocking = try await Edge.block.targets(of: me, among: unique, on: db)
        let blockedBy = try await Edge.block.sources(pointingAt: me, among: unique, on: db)
        let muting = try await Edge.mute.targets(of: me, among: unique, on: db)
        let close = try await Edge.closeFriend.targets(of: me, among: unique, on: db)
        let friends = try await Edge.friendship.targets(of: me, among: unique, on: db)
        let friendRequested = try await FriendRequestEdges.outgoing.targets(of: me, among: unique, on: db)
        let friendRequestedBy = try await FriendRequestEdges.outgoing.sources(pointingAt: me, among: unique, on: db)
        return ids.map { id in
            let raw = id.rawValue
            return Relationship(
                id: id, following: following.contains(raw), followedBy: followedBy.contains(raw), requested: requested.contains(raw),
                requestedBy: requestedBy.contains(raw), blocking: blocking.contains(raw), blockedBy: blockedBy.contains(raw),
                muting: muting.contains(raw), closeFriend: close.contains(raw), friends: friends.contains(raw),
                friendRequested: friendRequested.contains(raw), friendRequestedBy: friendRequestedBy.contains(raw))
        }
    }
}

/// Pending friend requests read as edges from sender to recipient.
enum FriendRequestEdges {
    static let outgoing = Edge(table: "friend_requests", from: "from_id", to: "to_id")
}
