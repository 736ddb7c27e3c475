import EntativaCore
import SQLKit

enum GraphSeedStore {
    static func insertFollows(_ edges: ArraySlice<SeededEdge>) -> SQLQueryString {
        """
        INSERT INTO follows (follower_id, followee_id, created_at) VALUES \(values(edges)) ON CONFLICT DO NOTHING
        """
    }

    static func insertFriendships(_ edges: ArraySlice<SeededEdge>) -> SQLQueryString {
        """
        INSERT INTO friendships (account_id, friend_id, created_at) VALUES \(values(edges)) ON CONFLICT DO NOTHING
        """
    }

    private static func values(_ edges: ArraySlice<SeededEdge>) -> SQLQueryString {
        edges.map { "(\(bind: $0.source.rawValue), \(bind: $0.target.rawValue), \(bind: $0.createdAt))" as SQLQueryString }
            .joined(separator: ", ")
    }
}
