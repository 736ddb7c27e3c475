import EntativaModels
import SQLKit

/// What the kernel's own tables keep about an account, removed when it is deleted: its resume
/// log and others' entries that show it, idempotency replays by it or showing it, and counters
/// keyed by it. Jobs and outbox events need nothing here: they drop their payloads once done
/// (see `JobQueue` and `EventBus`). The kernel subscribes it to `AccountDeleted` when it is built.
public struct AccountTraces: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    public func forget(_ account: AccountID) async throws {
        let id = account.rawValue
        // IDs are strings in JSON, so `"<id>"` finds the account however a payload names it.
        let quoted = "%\"\(id)\"%"
        try await database.transaction { db in
            // The log holds twice the resume window (minutes), so reading its payloads is cheap.
            try await db.raw("DELETE FROM realtime_events WHERE account_id = \(bind: id) OR payload LIKE \(bind: quoted)").run()
            // Kept a day. Replays of others' answers that name the account are found by their body.
            try await db.raw("DELETE FROM idempotency_keys WHERE scope = \(bind: "account:\(id)") OR body LIKE \(bind: quoted)").run()
            // Keys are `<rule>:account:<id>`, or `<rule>:account:<id>|ip:<address>` for the counters
            // per account and address; the delimiter keeps account 12 from matching 123.
            try await db.raw("""
                DELETE FROM rate_limits WHERE key LIKE \(bind: "%:account:\(id)") OR key LIKE \(bind: "%:account:\(id)|%")
                """).run()
        }
    }
}
