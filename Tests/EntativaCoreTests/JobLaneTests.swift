import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Synchronization
import Testing

/// A latch a test opens to let waiting handlers go on.
final class Gate: Sendable {
    private let open = Mutex(false)
    func release() { open.withLock { $0 = true } }
    func wait() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !open.withLock({ $0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }
}

@Suite("Job lanes and slots")
struct JobLaneTests {
    @Test("A slow job in one lane does not delay a job of another lane")
    func lanesAreIndependent() async throws {
        try await TestApp.run { app, _ in
            // given: one slot in each lane, and the slow lane's only slot taken
            let slowLane = JobLane("test-slow", defaultSlots: 1)
            let slow = JobDefinition<Ping>("test.slow", lane: slowLane)
            let quick = JobDefinition<Ping>("test.quick")
            let gate = Gate()
            let slowState = Mutex("queued")
            let quickDone = Mutex(false)
            app.kernel.jobs.register(slow) { _ in
                slowState.withLock { $0 = "running" }
                try await gate.wait()
                slowState.withLock { $0 = "done" }
            }
            app.kernel.jobs.register(quick) { _ in quickDone.withLock { $0 = true } }
            let worker = TestWorker.start(app, workers: 1)
            try await app.kernel.jobs.enqueue(slow, Ping(value: 1), on: app.kernel.database.sql)
            app.kernel.jobs.notify()
            try await eventually("the slow job to start") { slowState.withLock { $0 } == "running" }

            // when
            try await app.kernel.jobs.enqueue(quick, Ping(value: 2), on: app.kernel.database.sql)
            app.kernel.jobs.notify()

            // then: the default lane runs it while the slow lane is still busy
            try await eventually("the quick job") { quickDone.withLock { $0 } }
            #expect(slowState.withLock { $0 } == "running")
            gate.release()
            try await eventually("the slow job to finish") { try await app.kernel.jobs.list(state: .done).count == 2 }
            await worker.stop()
        }
    }

    @Test("A lane runs at most its slot count of jobs at once, and uses all of them")
    func slotsBoundConcurrency() async throws {
        try await TestApp.run { app, _ in
            let definition = JobDefinition<Ping>("test.counted")
            let counts = Mutex((now: 0, most: 0, done: 0))
            app.kernel.jobs.register(definition) { _ in
                counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                try await Task.sleep(for: .milliseconds(100))
                counts.withLock { $0.now -= 1; $0.done += 1 }
            }
            try await app.kernel.database.transaction { db in
                try await app.kernel.jobs.enqueue(definition, many: (0..<12).map { Ping(value: $0) }, on: db)
            }
            let worker = TestWorker.start(app, workers: 3)
            app.kernel.jobs.notify()
            try await eventually("twelve jobs") { counts.withLock { $0.done } == 12 }
            await worker.stop()
            #expect(counts.withLock { $0.most } == 3)
            let jobs = try await app.kernel.jobs.list(state: .done)
            #expect(jobs.filter { $0.kind == definition.kind }.allSatisfy { $0.attempts == 1 })
        }
    }

    @Test("An idle worker sends no queries; an enqueued job wakes it at once")
    func idleWorkerIsQuiet() async throws {
        try await TestApp.run { app, _ in
            let definition = JobDefinition<Ping>("test.wake")
            let ran = Mutex(false)
            app.kernel.jobs.register(definition) { _ in ran.withLock { $0 = true } }
            let worker = TestWorker.start(app, workers: 2, lanes: ["media": 1])
            // Starting claims once per lane and queues the scheduled jobs; then nothing is due.
            try await eventually("the worker to start") { app.kernel.jobs.workerStatementCount > 0 }
            // Settled means three quiet seconds: on a loaded machine the start-up work (a claim per
            // lane, every module's scheduled jobs) can pause for more than one.
            var settled = -1
            while app.kernel.jobs.workerStatementCount != settled {
                settled = app.kernel.jobs.workerStatementCount
                try await Task.sleep(for: .seconds(3))
            }
            try await Task.sleep(for: .seconds(2))
            #expect(app.kernel.jobs.workerStatementCount == settled)

            let start = ContinuousClock.now
            try await app.kernel.database.transaction { db in
                try await app.kernel.jobs.enqueue(definition, Ping(value: 1), on: db)
            }
            try await eventually("the woken job") { ran.withLock { $0 } }
            // Well before the 60 s fallback poll (loose: the full suite loads the machine): the enqueue woke the lane.
            #expect(ContinuousClock.now - start < .seconds(40))
            await worker.stop()
        }
    }

    @Test("Worker settings: sizes in range, lanes named once, the default lane sized by ENTATIVA_JOB_WORKERS")
    func settings() throws {
        let parsed = try JobSettings(environment: [
            "ENTATIVA_JOB_WORKERS": "8", "ENTATIVA_JOB_LANES": "media=3, search=0", "ENTATIVA_JOB_LEASE_SECONDS": "30",
        ])
        #expect(parsed.workers == 8)
        #expect(parsed.lanes == ["media": 3, "search": 0])
        #expect(parsed.lease == .seconds(30))
        #expect(try JobSettings(environment: [:]).workers == nil)
        for bad in [
            ["ENTATIVA_JOB_WORKERS": "-1"], ["ENTATIVA_JOB_WORKERS": "many"], ["ENTATIVA_JOB_WORKERS": "257"],
            ["ENTATIVA_JOB_LANES": "media"], ["ENTATIVA_JOB_LANES": "media=x"], ["ENTATIVA_JOB_LANES": "Media=1"],
            ["ENTATIVA_JOB_LANES": "default=2"], ["ENTATIVA_JOB_LANES": "media=1,media=2"], ["ENTATIVA_JOB_LANES": "media=999"],
            ["ENTATIVA_JOB_LEASE_SECONDS": "1"], ["ENTATIVA_JOB_LEASE_SECONDS": "0"],
        ] {
            #expect(throws: JobSettingsError.self, "\(bad)") { try JobSettings(environment: bad) }
        }
    }
}
