import EntativaCore
import EntativaModels
import Identity
import SQLKit

/// What the graph does when an account is deleted: every edge it has, either way (follows,
/// requests, friendships, friend requests, blocks, mutes, close friends), its record of sent
/// friend requests and its suggestion dismissals, both ways, go. Deleting what is already gone is harmless, so a retried job is too.
struct GraphErasure: Sendable {
    let env: GraphEnvironment

    func subscribe() {
        let database = env.database
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "graph.account_deleted") { event, _ in
            try await database.transaction { db in
                try await Edge.removeAll(involving: event.accountId, on: db)
                try await SuggestionStore.removeAll(involving: event.accountId, on: db)
            }
        }
    }
}
