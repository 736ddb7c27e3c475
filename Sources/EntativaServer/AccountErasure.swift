import EntativaCore
import Identity

/// The share of account deletion that the kernel holds: it imports no domain, and identity
/// announces deletions, so it is subscribed here. The domains subscribe themselves.
enum AccountErasure {
    static func subscribe(kernel: Kernel) {
        let traces = AccountTraces(database: kernel.database)
        kernel.events.subscribe(AccountDeleted.self, consumer: "core.account_deleted") { event, _ in
            try await traces.forget(event.accountId)
        }
    }
}
