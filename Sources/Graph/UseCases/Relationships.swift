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
        let edges = try await env.caches.edges(of: me, with: unique)
        let friendRequested = try await FriendRequestEdges.outgoing.targets(of: me, among: unique, on: db)
        let friendRequestedBy = try await FriendRequestEdges.outgoing.sources(pointingAt: me, among: unique, on: db)
        return ids.map { id in
            let edge = edges[id] ?? []
            return Relationship(
                id: id, following: edge.contains(.following), followedBy: edge.contains(.followedBy), requested: edge.contains(.requested),
                requestedBy: edge.contains(.requestedBy), blocking: edge.contains(.blocking), blockedBy: edge.contains(.blockedBy),
                muting: edge.contains(.muting), closeFriend: edge.contains(.closeFriend), friends: edge.contains(.friends),
                friendRequested: friendRequested.contains(id.rawValue), friendRequestedBy: friendRequestedBy.contains(id.rawValue))
        }
    }
}

/// Pending friend requests read as edges from sender to recipient.
enum FriendRequestEdges {
    static let outgoing = Edge(kind: .friendRequest, table: "friend_requests", from: "from_id", to: "to_id")
}
