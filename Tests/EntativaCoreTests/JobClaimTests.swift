import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Job claims and takeovers")
struct JobClaimTests {
    @Test("A worker whose lease was taken over cannot overwrite the new owner's result")
    func staleClaimIsIgnored() async throws {
        try await TestApp.run { app, _ in
            // given: attempt 1 stalls past its lease; attempt 2 takes over and succeeds
            let definition = JobDefinition<Ping>("test.stalls")
            let gate = Gate()
            let started = Mutex<[Int]>([])
            app.kernel.jobs.register(definition) { _, attempt in
                started.withLock { $0.append(attempt.number) }
                guard attempt.number == 1 else { return }
                try await gate.wait()
                throw AppError.conflict("the stalled attempt fails late")
            }
            try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: app.kernel.database.sql)
            let stalled = Task { try await app.kernel.jobs.runDueJobs() }
            try await eventually("attempt 1") { started.withLock { $0 } == [1] }
            app.clock.advance(by: app.kernel.jobs.lease + .seconds(1))
            try await app.kernel.jobs.runDueJobs()
            #expect(started.withLock { $0 } == [1, 2])

            // when: the stalled attempt ends, failing
            gate.release()
            _ = try await stalled.value

            // then: its failure is not recorded over the success
            let job = try #require(try await app.kernel.jobs.list(state: nil).first { $0.kind == definition.kind })
            #expect(job.state == JobState.done.rawValue)
            #expect(job.attempts == 2)
            #expect(job.lastError?.contains("lease lapsed") == true)
        }
    }

    @Test("A takeover counts as an attempt; a job whose lease lapses on its last attempt is dead with the reason")
    func takeoversExhaustAttempts() async throws {
        try await TestApp.run { app, _ in
            let definition = JobDefinition<Ping>("test.hangs", maxAttempts: 2)
            let gate = Gate()
            let starts = Mutex(0)
            app.kernel.jobs.register(definition) { _ in
                starts.withLock { $0 += 1 }
                try await gate.wait()
            }
            try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: app.kernel.database.sql)
            var hung: [Task<Int, any Error>] = []
            for attempt in 1...2 {
                hung.append(Task { try await app.kernel.jobs.runDueJobs() })
                try await eventually("attempt \(attempt)") { starts.withLock { $0 } == attempt }
                app.clock.advance(by: app.kernel.jobs.lease + .seconds(1))
            }
            #expect(try await app.kernel.jobs.runDueJobs() == 0)
            #expect(starts.withLock { $0 } == 2)
            let dead = try await app.kernel.jobs.list(state: .dead)
            #expect(dead.count == 1)
            #expect(dead.first?.attempts == 2)
            #expect(dead.first?.lastError?.contains("lease lapsed on attempt 2 of 2") == true)

            // The stalled attempts finishing later change nothing.
            gate.release()
            for task in hung { _ = try await task.value }
            #expect(try await app.kernel.jobs.list(state: .dead).count == 1)
        }
    }

    @Test("Stopping a worker hands its running jobs back without charging an attempt")
    func shutdownHandsBack() async throws {
        try await TestApp.run { app, _ in
            let definition = JobDefinition<Ping>("test.long", maxAttempts: 1)
            let started = Mutex(false)
            app.kernel.jobs.register(definition) { _ in
                started.withLock { $0 = true }
                try await Task.sleep(for: .seconds(60))
            }
            let worker = TestWorker.start(app, workers: 1)
            try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: app.kernel.database.sql)
            app.kernel.jobs.notify()
            try await eventually("the job to start") { started.withLock { $0 } }
            await worker.stop()
            let job = try #require(try await app.kernel.jobs.list(state: nil).first { $0.kind == definition.kind })
            #expect(job.state == JobState.queued.rawValue)
            #expect(job.attempts == 0)
            #expect(job.lockedUntil == nil)
        }
    }

    struct Counted: DomainEvent {
        static let topic = "test.counted"
        var value: Int
    }

    @Test("A batch consumer takes events in batches; a poison event fails alone")
    func batchConsumer() async throws {
        try await TestApp.run { app, _ in
            let batches = Mutex<[[Int]]>([])
            let handled = Mutex<Set<Int>>([])
            app.kernel.events.subscribeBatch(Counted.self, consumer: "test.batched", maxBatch: 10) { events in
                batches.withLock { $0.append(events.map(\.event.value)) }
                if events.contains(where: { $0.event.value == 13 }) { throw AppError.conflict("13 is poison") }
                handled.withLock { $0.formUnion(events.map(\.event.value)) }
            }
            try await app.kernel.database.transaction { db in
                for value in 0..<25 { try await app.kernel.events.publish(Counted(value: value), on: db) }
            }
            try await app.runJobs()

            // Batches of up to ten; the one holding 13 ran again as ten batches of one.
            let all = batches.withLock { $0 }
            #expect(all.filter { $0.count > 1 }.map(\.count) == [10, 10, 5])
            #expect(all.filter { $0.count == 1 }.count == 10)
            #expect(handled.withLock { $0 } == Set(0..<25).subtracting([13]))
            let failed = try await app.kernel.jobs.list(state: .queued).filter { $0.kind == "event.test.batched" }
            #expect(failed.count == 1)
            #expect(failed.first?.lastError?.contains("13 is poison") == true)
        }
    }
}
