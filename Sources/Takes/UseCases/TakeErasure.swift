import EntativaCore

/// What Takes does when an account is deleted: its Takes, sounds, templates, Behind-the-Takes,
/// views and trend entries go. Trends it started keep their other participants; the originator
/// is shown to nobody. Deleting what is already gone is harmless, so a retried job is too.
struct TakeErasure: Sendable {
    let env: TakesEnvironment

    func subscribe() {
        let database = env.database
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "takes.account_deleted") { event, _ in
            try await database.transaction { db in
                try await BehindTheTakeStore.deleteAll(of: event.accountId, on: db)
                try await TrendStore.deleteAll(of: event.accountId, on: db)
                try await TemplateStore.deleteAll(of: event.accountId, on: db)
                try await TakeStore.deleteAll(of: event.accountId, on: db)
            }
        }
    }
}
