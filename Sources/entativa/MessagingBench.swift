import ArgumentParser
import EntativaCore
import EntativaKit
import EntativaModels
import EntativaServer
import Foundation
import HummingbirdWSClient
import Identity
import Logging
import NIOPosix
import Synchronization

/// `entativa bench messaging`: envelopes relayed end to end through a real server — sent over
/// HTTP by many devices, stored, delivered on each recipient device's realtime socket and
/// acknowledged — with the senders' p50/p99 and the store-to-socket p50/p99.
struct MessagingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messaging",
        abstract: "Envelopes relayed per second end to end (send → stored → on a device's socket → acknowledged), with p50/p99 latencies.")

    @Option(help: "Sender→recipient pairs; each recipient has one device with one open socket") var pairs = 100
    @Option(help: "Open sending connections") var concurrency = 32
    @Option(help: "Seconds measured") var duration = 8
    @Option(help: "Seconds of warm-up, not measured") var warmup = 2
    @Option(help: "Ciphertext bytes per envelope") var size = 160
    @Option(help: "Event-loop threads of the load generator") var threads = 2
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; SQLite in a temporary directory by default") var databaseURL: String?
    @Option(name: .customLong("log-level"), help: "The server's log level during the run") var logLevel = "warning"

    func validate() throws {
        guard (1...5_000).contains(pairs) else { throw ValidationError("--pairs must be in 1...5000") }
        guard (1...1_000).contains(concurrency), (1...64).contains(threads) else { throw ValidationError("--concurrency must be in 1...1000, --threads in 1...64") }
        guard (1...600).contains(duration), (0...60).contains(warmup) else { throw ValidationError("--duration must be in 1...600, --warmup in 0...60") }
        guard (1...OutgoingEnvelope.maxContentBytes).contains(size) else { throw ValidationError("--size must be in 1...\(OutgoingEnvelope.maxContentBytes)") }
    }

    /// What the recipients' sockets saw.
    final class Deliveries: Sendable {
        struct State {
            var measuring: ClosedRange<Date>?
            var delivered = 0
            var latencies: [Double] = []
            var acknowledged = 0
        }

        let state = Mutex(State())
    }

    func run() async throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var config = EntativaConfig.bench(in: work, databaseURL: databaseURL)
        config.logLevel = logLevel
        config.port = try LocalPort.free()
        config.jobWorkers = 0
        config.identity.registrationsPerIP = 1_000_000
        // The bench measures the relay, not the limiters that protect it.
        config.limits.requestsPerSecond = 1e9
        config.limits.requestBurst = 1_000_000_000
        config.limits.realtimeSendQueue = 100_000
        let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
        let server = BenchServer(runtime.application)
        defer { server.cancel() }
        try await LocalPort.waitUntilListening(config.port)
        while !runtime.kernel.realtime.isListening { try await Task.sleep(for: .milliseconds(50)) }
        let base = URL(string: "http://127.0.0.1:\(config.port)")!

        print("registering \(pairs * 2) accounts and their devices…")
        let registration = Registration(env: runtime.identity.env)
        let clientInfo = ClientInfo(ip: "127.0.0.1", userAgent: "bench")
        var devices: [(tokens: AuthTokens, device: RegisteredDevice, client: EntativaClient)] = []
        for index in 0..<(pairs * 2) {
            let tokens = try await registration.register(
                RegisterRequest(username: "device_owner\(index)", email: "d\(index)@bench.invalid", password: "benchmarking messaging"), client: clientInfo)
            let client = EntativaClient(
                baseURL: base, tokens: TokenStore(.init(accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accountId: tokens.account.id)))
            let device = try await client.registerDevice(try DeviceKeys.generate(oneTimePreKeys: 0).registration(name: "bench \(index)"))
            devices.append((tokens, device, client))
        }
        let senders = Array(devices[0..<pairs])
        let recipients = Array(devices[pairs...])

        let deliveries = Deliveries()
        let port = config.port
        let sockets = recipients.map { recipient in
            Task {
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/api/v1/streaming?access_token=\(recipient.tokens.accessToken)",
                    configuration: .init(maxFrameSize: 1 << 20), logger: Logger(label: "bench")
                ) { inbound, _, _ in
                    var unacknowledged: [EnvelopeID] = []
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, let arrived = Self.arrival(text) else { continue }
                        let received = Date()
                        deliveries.state.withLock { state in
                            guard let sentAt = arrived.envelope?.sentAt, state.measuring?.contains(sentAt) == true else { return }
                            state.delivered += 1
                            state.latencies.append(received.timeIntervalSince(sentAt) * 1000)
                        }
                        unacknowledged.append(arrived.id)
                        if unacknowledged.count >= 20 {
                            try await recipient.client.acknowledgeEnvelopes(unacknowledged, for: recipient.device.device.id, secret: recipient.device.deviceSecret)
                            let count = unacknowledged.count
                            deliveries.state.withLock { $0.acknowledged += count }
                            unacknowledged.removeAll(keepingCapacity: true)
                        }
                    }
                }
            }
        }
        defer { for socket in sockets { socket.cancel() } }
        while runtime.kernel.realtime.connectionCount < pairs { try await Task.sleep(for: .milliseconds(20)) }

        var generator = SystemRandomNumberGenerator()
        let posts = try zip(senders, recipients).map { sender, recipient in
            let ciphertext = Data((0..<size).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
            let form = SendMessageRequest(
                recipientId: recipient.tokens.account.id,
                envelopes: [OutgoingEnvelope(
                    accountId: recipient.tokens.account.id, deviceId: recipient.device.device.id, registrationId: recipient.device.device.registrationId,
                    type: .message, content: ciphertext)])
            return HTTPLoad.Post(
                headers: [
                    ("Authorization", "Bearer \(sender.tokens.accessToken)"), ("X-Device-ID", String(sender.device.device.id)),
                    ("X-Device-Secret", sender.device.deviceSecret),
                ],
                body: Array(try EntativaJSON.encoder().encode(form)))
        }
        let load = HTTPLoad(group: MultiThreadedEventLoopGroup(numberOfThreads: threads), connections: concurrency)
        let target = HTTPLoad.Target(label: "POST /api/v1/messages", port: port, path: "/api/v1/messages", posts: posts)
        if warmup > 0 { _ = try await load.measure(target, for: .seconds(warmup)) }
        let statementsBefore = runtime.kernel.database.statementsExecuted
        let start = Date()
        deliveries.state.withLock { $0.measuring = start...start.addingTimeInterval(Double(duration)) }
        let sent = try await load.measure(target, for: .seconds(duration))
        let statements = runtime.kernel.database.statementsExecuted - statementsBefore
        let batching = runtime.messaging.env.sendBatching
        // Deliveries of what was sent in the window may still be on their way.
        let settle = ContinuousClock.now + .seconds(10)
        while deliveries.state.withLock({ $0.delivered }) < sent.requests, ContinuousClock.now < settle { try await Task.sleep(for: .milliseconds(20)) }
        let (delivered, latencies, acknowledged) = deliveries.state.withLock { ($0.delivered, $0.latencies.sorted(), $0.acknowledged) }
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let waiting = try await runtime.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_envelopes").first()?.decode(column: "n", as: Int.self) ?? 0

        print(String(
            format: """
                bench messaging on %@, %d cores, %d sending connections, %d pairs, %d-byte envelopes, %d s:
                  sent (201): %d = %.0f envelopes/s; send p50 %.1f ms, p99 %.1f ms; failed %d; %.1f statements per envelope
                  delivered on sockets: %d = %.0f envelopes/s end to end; stored→socket p50 %.1f ms, p99 %.1f ms
                  acknowledged (batches of 20): %d; still stored at the end: %d
                  sends committed together: %.1f per transaction on average
                  (target on this 2-core machine: ≥ 6,000 envelopes/s, p99 ≤ 20 ms)
                """, runtime.kernel.database.engine.rawValue, ProcessInfo.processInfo.activeProcessorCount, concurrency, pairs, size, duration,
            sent.requests, sent.perSecond, sent.percentile(0.5), sent.percentile(0.99), sent.failures, Double(statements) / Double(max(1, sent.answered)),
            delivered, Double(delivered) / sent.seconds, percentile(0.5), percentile(0.99), acknowledged, waiting,
            Double(batching.sends) / Double(max(1, batching.commits))))
        await server.stop()
        for socket in sockets { _ = await socket.result }
        try? await load.group.shutdownGracefully()
        await runtime.kernel.database.shutdown()
    }

    /// The `envelope` event in a frame, if it is one.
    static func arrival(_ text: String) -> EnvelopeArrived? {
        guard text.contains(#""type":"envelope""#), let start = text.range(of: #""payload":"#)?.upperBound else { return nil }
        return try? EntativaJSON.decoder().decode(EnvelopeArrived.self, from: Data(text[start..<text.index(before: text.endIndex)].utf8))
    }
}
