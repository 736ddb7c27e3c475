import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Synchronization
import Testing

struct Ping: Codable, Sendable, Equatable {
    var value: Int
}

@Suite("Job queue and outbox")
struct JobQueueTests {
    @Test("A job enqueued in a transaction runs once after commit")
    func runsAfterCommit() async throws {
        try await TestApp.run { app, _ in
            let seen = Mutex<[Int]>([])
            let definition = JobDefinition<Ping>("test.ping")
            app.kernel.jobs.register(definition) { ping in seen.withLock { $0.append(ping.value) } }
            try await app.kernel.database.transaction { db in
                try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: db)
            }
            try await app.runJobs()
            try await app.runJobs()
            #expect(seen.withLock { $0 } == [1])
            #expect(try await app.kernel.jobs.list(state: .done).count == 1)
        }
    }

    @Test("A job in a rolled-back transaction never exists")
    func rolledBack() async throws {
        try await TestApp.run { app, _ in
            let definition = JobDefinition<Ping>("test.ping")
            await #expect(throws: AppError.self) {
                try await app.kernel.database.transaction { db in
                    try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: db)
                    throw AppError.conflict("no")
                }
            }
            let jobs = try await app.kernel.jobs.list(state: nil)
            #expect(jobs.isEmpty)
        }
    }

    @Test("Failures retry with back-off, then the job is dead until an operator retries it")
    func retriesThenDies() async throws {
        try await TestApp.run { app, _ in
            let attempts = Mutex(0)
            let definition = JobDefinition<Ping>("test.fail", maxAttempts: 3)
            app.kernel.jobs.register(definition) { _ in
                attempts.withLock { $0 += 1 }
                throw AppError.conflict("boom")
            }
            try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: app.kernel.database.sql)
            try await app.runJobs()
            #expect(attempts.withLock { $0 } == 1)
            // Not due again until the back-off passes.
            try await app.runJobs()
            #expect(attempts.withLock { $0 } == 1)
            for _ in 0..<2 {
                app.clock.advance(by: .seconds(3600))
                try await app.runJobs()
            }
            #expect(attempts.withLock { $0 } == 3)
            let dead = try await app.kernel.jobs.list(state: .dead)
            #expect(dead.count == 1)
            #expect(dead.first?.lastError?.contains("boom") == true)

            #expect(try await app.kernel.jobs.retry(id: dead[0].id))
            #expect(try await app.kernel.jobs.retry(id: dead[0].id) == false)
            try await app.runJobs()
            #expect(attempts.withLock { $0 } == 4)
        }
    }

    @Test("A job claimed by a worker that died runs again once its lease ends")
    func leaseExpiry() async throws {
        try await TestApp.run { app, _ in
            let runs = Mutex(0)
            let definition = JobDefinition<Ping>("test.hang")
            try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: app.kernel.database.sql)
            // A worker claims the job and dies before finishing: simulate by claiming without a handler
            // for this kind, which leaves the row running until we pretend the process is gone.
            try await app.kernel.database.sql.raw("""
                UPDATE jobs SET state = 'running', attempts = 1, locked_until = \(bind: app.clock.nowMillis() + 300_000)
                """).run()
            app.kernel.jobs.register(definition) { _ in runs.withLock { $0 += 1 } }
            try await app.runJobs()
            #expect(runs.withLock { $0 } == 0)
            app.clock.advance(by: .seconds(301))
            try await app.runJobs()
            #expect(runs.withLock { $0 } == 1)
        }
    }

    struct Happened: DomainEvent {
        static let topic = "test.happened"
        var value: Int
    }

    @Test("Outbox events reach every subscriber once, with their event ID")
    func outboxFanOut() async throws {
        try await TestApp.run { app, _ in
            let first = Mutex<[Int64]>([])
            let second = Mutex<[Int]>([])
            app.kernel.events.subscribe(Happened.self, consumer: "test.first") { _, id in first.withLock { $0.append(id) } }
            app.kernel.events.subscribe(Happened.self, consumer: "test.second") { event, _ in second.withLock { $0.append(event.value) } }
            try await app.kernel.database.transaction { db in
                try await app.kernel.events.publish(Happened(value: 42), on: db)
            }
            try await app.runJobs()
            try await app.runJobs()
            #expect(first.withLock { $0 }.count == 1)
            #expect(second.withLock { $0 } == [42])
        }
    }
}
