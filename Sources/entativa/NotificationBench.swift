import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Graph
import HummingbirdWSClient
import Identity
import Logging
import Notifications
import Synchronization

/// Notifications created, grouped and delivered to connected WebSockets per second, and how long
/// each took from creation to arriving on its socket.
struct NotificationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "Notifications created, grouped and delivered to connected sockets per second, with p50/p99 socket latency.")

    @Option(help: "Notifications to create") var count = 20_000
    @Option(help: "Recipients, each with one open socket") var recipients = 200
    @Option(help: "Distinct actors") var actors = 50
    @Option(help: "Notifications per call (one transaction), as a fan-out job would make them") var batch = 500
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; SQLite in a temporary directory by default") var databaseURL: String?
    @Flag(help: "Make the notifications the way requests do: real follows write outbox events, and a background worker (4 slots) turns them into notices through the graph's event consumers. At most actors × recipients notifications.")
    var throughEvents = false

    func validate() throws {
        guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be in 1...1000000") }
        guard (1...10_000).contains(recipients), (1...10_000).contains(actors) else { throw ValidationError("--recipients and --actors must be in 1...10000") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be in 1...10000") }
        guard !throughEvents || count <= actors * recipients else { throw ValidationError("--through-events makes at most actors × recipients follows") }
    }

    final class Tally: Sendable {
        let state = Mutex<(count: Int, latencies: [Double])>((0, []))
    }

    func run() async throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var config = EntativaConfig.bench(in: work, databaseURL: databaseURL)
        config.jobWorkers = 0
        config.port = try LocalPort.free()
        config.identity.registrationsPerIP = 1_000_000
        config.limits.realtimeSendQueue = max(512, count)
        let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
        let server = BenchServer(runtime.application)
        defer { server.cancel() }
        try await LocalPort.waitUntilListening(config.port)
        while !runtime.kernel.realtime.isListening { try await Task.sleep(for: .milliseconds(50)) }

        let registration = Registration(env: runtime.identity.env)
        let client = ClientInfo(ip: "127.0.0.1", userAgent: "bench")
        var recipientTokens: [AuthTokens] = []
        for index in 0..<recipients {
            recipientTokens.append(try await registration.register(
                RegisterRequest(username: "recipient\(index)", email: "r\(index)@bench.invalid", password: "benchmarking notifications"), client: client))
        }
        var actorIDs: [AccountID] = []
        for index in 0..<actors {
            actorIDs.append(try await registration.register(
                RegisterRequest(username: "actor\(index)", email: "a\(index)@bench.invalid", password: "benchmarking notifications"), client: client).account.id)
        }

        let tally = Tally()
        let port = config.port
        let sockets = recipientTokens.map { tokens in
            let url = "ws://127.0.0.1:\(port)/api/v1/streaming?access_token=\(tokens.accessToken)"
            return Task {
                try await WebSocketClient.connect(
                    url: url,
                    configuration: .init(maxFrameSize: 1 << 20), logger: Logger(label: "bench")
                ) { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, let latency = Self.latency(of: text) else { continue }
                        tally.state.withLock { $0.count += 1; $0.latencies.append(latency) }
                    }
                }
            }
        }
        defer { for socket in sockets { socket.cancel() } }
        while runtime.kernel.realtime.connectionCount < recipients { try await Task.sleep(for: .milliseconds(20)) }

        // Four target-less types the graph registers (message_request, used before, has no producer yet).
        let types = ["follow", "friend_request", "friend_accepted", "follow_request"]
        let drafts = (0..<count).map { index in
            NotificationDraft(
                recipient: recipientTokens[index % recipients].account.id, type: types[(index / recipients) % types.count],
                actor: actorIDs[(index / 7) % actors], dedupeKey: "bench-\(index)")
        }
        let notifier = runtime.notifications.notifier
        var worker: Task<Void, any Error>?
        if throughEvents {
            // Untimed: the follows and their outbox events, with no worker running yet.
            let follows = Follows(env: runtime.graph.env)
            for index in 0..<count {
                let actor = Principal(accountID: actorIDs[index / recipients], sessionID: SessionID(rawValue: 1), role: .user)
                _ = try await follows.follow(recipientTokens[index % recipients].account.id, caller: actor)
            }
        }
        let start = ContinuousClock.now
        if throughEvents {
            let background = BackgroundWorker(
                events: runtime.kernel.events, jobs: runtime.kernel.jobs, workers: 4,
                listenURL: runtime.kernel.database.engine == .postgres ? databaseURL : nil, logger: Logger(label: "bench"))
            worker = Task { try await background.run() }
        } else {
            for offset in stride(from: 0, to: drafts.count, by: batch) {
                try await notifier.notify(Array(drafts[offset..<min(offset + batch, drafts.count)]))
            }
        }
        let created = ContinuousClock.now - start
        let deadline = ContinuousClock.now + .seconds(120)
        while tally.state.withLock({ $0.count }) < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let elapsed = ContinuousClock.now - start
        // Stopped before the database closes, so no job outlives it.
        worker?.cancel()
        _ = try? await worker?.value
        let (delivered, latencies) = tally.state.withLock { ($0.count, $0.latencies.sorted()) }
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let groups = try await runtime.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM notification_groups").first()?.decode(column: "n", as: Int.self) ?? 0
        // Through events, creation and delivery overlap inside the worker, so only the whole is timed.
        let creation = throughEvents
            ? String(format: "%d follow events became notices in %d groups", count, groups)
            : String(format: "%d created into %d groups in %.2f s", count, groups, created.timeInterval)
        print(String(
            format: "notifications%@ on %@, %d cores: %@; %d delivered to %d sockets in %.2f s = %.0f/s; socket latency p50 %.1f ms, p99 %.1f ms (target ≥ 10,000/s)",
            throughEvents ? " through events" : "", runtime.kernel.database.engine.rawValue, ProcessInfo.processInfo.activeProcessorCount, creation, delivered,
            recipients, elapsed.timeInterval, Double(delivered) / elapsed.timeInterval, percentile(0.5), percentile(0.99)))
        await server.stop()
        await runtime.kernel.database.shutdown()
    }

    /// Milliseconds from a notification's creation to now, for `notification` frames. Reads the
    /// one timestamp by hand: the clients share the process with the server, so a full JSON parse
    /// per frame would be measured as server time.
    static func latency(of text: String) -> Double? {
        let received = Date()
        guard text.hasPrefix(#"{"id":""#), text.contains(#""type":"notification""#),
            let marker = text.range(of: #""created_at":""#, options: .backwards)
        else { return nil }
        let stamp = text[marker.upperBound...].prefix(24)
        guard let created = try? Date(String(stamp), strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) else { return nil }
        return received.timeIntervalSince(created) * 1000
    }
}
