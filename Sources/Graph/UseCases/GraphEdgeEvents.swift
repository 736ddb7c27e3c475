import EntativaCore
import EntativaModels

/// The kinds of edge the graph keeps, as named in `GraphEdgeChanged`.
public enum GraphEdgeKind: String, Codable, Sendable, CaseIterable {
    case follow
    case followRequest = "follow_request"
    case block
    case mute
    case closeFriend = "close_friend"
    case friendship
    /// Friend requests are kept by `FriendRequestStore`; the kind exists for reading them as edges.
    case friendRequest = "friend_request"
}

/// One edge appeared or went, published in the transaction that changed it, whatever the use
/// case (a follow, an unfollow, a block that ends follows and friendships, an approval …). Views
/// derived from the graph (home timelines) reconcile the pair from it; notifications keep using
/// the intent-named events (`AccountFollowed`, `FriendshipStarted`).
public struct GraphEdgeChanged: DomainEvent {
    public static let topic = "graph.edge_changed"
    public var kind: GraphEdgeKind
    public var sourceId: AccountID
    public var targetId: AccountID
    /// Whether the edge exists after the change.
    public var present: Bool
}
