import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import SQLKit
import Testing

@Suite("What the kernel keeps about an account")
struct AccountTracesTests {
    struct Note: DomainEvent {
        static let topic = "test.note"
        var accountId: AccountID
    }

    @Test("A finished job and a dispatched event keep no payload; a dead job keeps its own for the retry")
    func payloadsGoOnceDone() async throws {
        try await TestApp.run { app, _ in
            let account = AccountID(rawValue: 987_654_321_012_345)
            app.kernel.events.subscribe(Note.self, consumer: "test.note") { _, _ in }
            let failing = JobDefinition<Note>("test.failing", maxAttempts: 1)
            app.kernel.jobs.register(failing) { _ in throw AppError.conflict("no") }
            try await app.kernel.database.transaction { db in
                try await app.kernel.events.publish(Note(accountId: account), on: db)
                try await app.kernel.jobs.enqueue(failing, Note(accountId: account), on: db)
            }
            try await app.runJobs()
            let db = app.kernel.database.sql
            let outbox = try await db.raw("SELECT payload FROM outbox_events WHERE topic = 'test.note'").all()
                .map { try $0.decode(column: "payload", as: String.self) }
            #expect(outbox == [""])
            let jobs = try await db.raw("SELECT kind, state, payload FROM jobs WHERE kind LIKE '%test.%' ORDER BY kind").all()
                .map { [try $0.decode(column: "kind", as: String.self), try $0.decode(column: "state", as: String.self), try $0.decode(column: "payload", as: String.self)] }
            #expect(jobs.count == 2)
            #expect(jobs.first { $0[0] == "event.test.note" } == ["event.test.note", "done", ""])
            #expect(jobs.first { $0[0] == "test.failing" }?[1] == "dead")
            #expect(jobs.first { $0[0] == "test.failing" }?[2].contains("\(account)") == true)
        }
    }

    @Test("Deleting an account forgets its realtime log, idempotency replays and rate-limit counters, and others' that show it")
    func kernelForgets() async throws {
        try await TestApp.run { app, api in
            let leaving = try await api.register("leaving")
            let staying = try await api.register("staying")
            let id = leaving.account.id
            // Replays kept for operations that honour Idempotency-Key: one of its own, and one of
            // another account's whose answer names it (a mention).
            let mine = try await api.post("/api/v1/posts", CreatePostRequest(text: "mine"), token: leaving.accessToken, headers: [.idempotencyKey: "mine-1"])
            #expect(mine.status == 201)
            let theirs = try await api.post(
                "/api/v1/posts", CreatePostRequest(text: "hello @leaving"), token: staying.accessToken, headers: [.idempotencyKey: "theirs-1"])
            #expect(theirs.status == 201)
            _ = try await app.kernel.realtime.send("note", ["about": id.description], to: [id, staying.account.id])
            try await app.kernel.attempts.consume(AttemptRule(name: "test", attempts: 5, window: .seconds(60), maxBackoff: .seconds(60)), keys: ["account:\(id)"])

            let db = app.kernel.database.sql
            let quoted = "%\"\(id)\"%"
            let count: @Sendable () async throws -> Int = {
                let counts = try await [
                    db.raw("SELECT COUNT(*) AS n FROM realtime_events WHERE account_id = \(bind: id.rawValue) OR payload LIKE \(bind: quoted)").first(),
                    db.raw("SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = \(bind: "account:\(id)") OR body LIKE \(bind: quoted)").first(),
                    db.raw("SELECT COUNT(*) AS n FROM rate_limits WHERE key LIKE \(bind: "%account:\(id)")").first(),
                ]
                return try counts.reduce(0) { $0 + (try $1?.decode(column: "n", as: Int.self) ?? 0) }
            }
            #expect(try await count() >= 5)
            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: leaving.accessToken).status == 202)
            try await app.runJobs()
            #expect(try await count() == 0)
        }
    }
}
