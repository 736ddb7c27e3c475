import EntativaCore
import EntativaModels
import SQLKit

/// Who shared which original; one share per account and original.
enum ShareStore {
    /// False when the account already shared the original.
    static func add(original: PostID, account: AccountID, share: PostID, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            INSERT INTO shares (original_id, account_id, share_id) VALUES (\(bind: original.rawValue), \(bind: account.rawValue), \(bind: share.rawValue))
            ON CONFLICT DO NOTHING RETURNING share_id
            """).all().isEmpty
    }

    static func remove(original: PostID, account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM shares WHERE original_id = \(bind: original.rawValue) AND account_id = \(bind: account.rawValue)").run()
    }
}
