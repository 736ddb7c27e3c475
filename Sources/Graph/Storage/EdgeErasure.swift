import EntativaCore
import EntativaModels
import SQLKit

extension Edge {
    /// Removes every edge to or from `account`, of every kind, and its friend requests. Each
    /// statement uses an index: the primary key, `<table>_reverse`, or, for friendships (stored
    /// once from each side, without a reverse index), the mirror rows found through the account's own.
    static func removeAll(involving account: AccountID, on db: any SQLDatabase) async throws {
        let id = account.rawValue
        for edge in [Edge.follow, .followRequest, .block, .mute, .closeFriend] {
            try await db.raw("DELETE FROM \(unsafeRaw: edge.table) WHERE \(unsafeRaw: edge.from) = \(bind: id)").run()
            try await db.raw("DELETE FROM \(unsafeRaw: edge.table) WHERE \(unsafeRaw: edge.to) = \(bind: id)").run()
        }
        try await db.raw("""
            DELETE FROM friendships WHERE friend_id = \(bind: id)
                AND account_id IN (SELECT friend_id FROM friendships WHERE account_id = \(bind: id))
            """).run()
        try await db.raw("DELETE FROM friendships WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM friend_requests WHERE from_id = \(bind: id)").run()
        try await db.raw("DELETE FROM friend_requests WHERE to_id = \(bind: id)").run()
        try await db.raw("DELETE FROM friend_request_sends WHERE from_id = \(bind: id)").run()
        try await PairStore.announceChangesToMany(on: db)
    }
}
