import EntativaCore
import EntativaModels

/// What search does when an account is deleted: its document, its posts' documents and their
/// hashtag uses and place uses, and its search history go. Removing what is already gone is harmless, so a retried job is too.
struct SearchErasure: Sendable {
    let env: SearchEnvironment

    func subscribe() {
        let database = env.database
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "search.account_deleted") { event, _ in
            let posts = try await IndexStore.posts(by: event.accountId, on: database.sql)
            for start in stride(from: 0, to: posts.count, by: 500) {
                let batch = posts[start..<min(start + 500, posts.count)]
                try await database.transaction { db in
                    for post in batch {
                        try await IndexStore.removePost(post, on: db)
                        try await IndexStore.removeHashtagUses(of: post, on: db)
                        try await Indexer.refilePlaces(try await PlaceStore.removePost(post, on: db), on: db)
                    }
                }
            }
            try await database.transaction { db in
                try await IndexStore.removeAccount(event.accountId, on: db)
                try await HistoryStore.forget(event.accountId, on: db)
            }
        }
    }
}
