import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Durability")
struct DurabilityTests {
    @Test("A job enqueued before a restart runs after it")
    func jobSurvivesRestart() async throws {
        let directory = NSTemporaryDirectory() + "entativa-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await TestDatabase.shared(directory: directory)
        defer { Task { await database.drop() } }
        let definition = JobDefinition<Ping>("test.durable")

        let first = try await TestApp.open(directory: directory, databaseURL: database.url)
        try await first.kernel.jobs.enqueue(definition, Ping(value: 7), on: first.kernel.database.sql)
        // The process goes away without running its queue.
        await first.kernel.database.shutdown()

        let second = try await TestApp.open(directory: directory, databaseURL: database.url)
        let seen = Mutex<[Int]>([])
        second.kernel.jobs.register(definition) { ping in seen.withLock { $0.append(ping.value) } }
        try await second.runJobs()
        await second.kernel.database.shutdown()
        #expect(seen.withLock { $0 } == [7])
    }
}
