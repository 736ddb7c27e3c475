import EntativaCore
import EntativaModels
import SQLKit

/// Blocks read both ways at once, for the `BlockList` every other domain asks.
enum BlockStore {
    static func eitherBlocks(_ first: AccountID, _ second: AccountID, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS present FROM blocks
            WHERE (blocker_id = \(bind: first.rawValue) AND blocked_id = \(bind: second.rawValue))
               OR (blocker_id = \(bind: second.rawValue) AND blocked_id = \(bind: first.rawValue))
            """).first() != nil
    }

    /// Those of `others` that block `account` or that it blocks.
    static func blocked(with account: AccountID, among others: [AccountID], on db: any SQLDatabase) async throws -> Set<AccountID> {
        let ids = others.map(\.rawValue)
        let rows = try await db.raw("""
            SELECT blocked_id AS other FROM blocks WHERE blocker_id = \(bind: account.rawValue) AND blocked_id IN (\(binds: ids))
            UNION SELECT blocker_id AS other FROM blocks WHERE blocked_id = \(bind: account.rawValue) AND blocker_id IN (\(binds: ids))
            """).all()
        return Set(try rows.map { try $0.decode(column: "other", as: AccountID.self) })
    }
}
