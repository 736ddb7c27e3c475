import EntativaCore
import Identity
import Media

/// The shares of account deletion that the kernel and media hold: neither imports identity,
/// which announces deletions, so they are subscribed here. Graph, posts and notifications
/// subscribe themselves.
enum AccountErasure {
    static func subscribe(kernel: Kernel, media: MediaModule) {
        let traces = AccountTraces(database: kernel.database)
        kernel.events.subscribe(AccountDeleted.self, consumer: "core.account_deleted") { event, _ in
            try await traces.forget(event.accountId)
        }
        let erasure = MediaErasure(env: media.env)
        kernel.events.subscribe(AccountDeleted.self, consumer: "media.account_deleted") { event, _ in
            try await erasure.forget(owner: event.accountId)
        }
    }
}
