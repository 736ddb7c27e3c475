import ArgumentParser
import EntativaCore
import EntativaServer
import Foundation
import Identity
import NIOPosix

/// How hard the benches on seeded data push, and for how long.
struct LoadOptions: ParsableArguments {
    @Option(help: "Open keep-alive connections") var concurrency = 64
    @Option(help: "Seconds measured per route") var duration = 8
    @Option(help: "Seconds of warm-up per route, not measured") var warmup = 2
    @Option(help: "Seeded readers signed in and read in turn (1–5,000)") var readers = 200
    @Option(help: "Event-loop threads of the load generator") var threads = 2
    @Option(name: .customLong("log-level"), help: "The server's log level during the run") var logLevel = "warning"

    func validate() throws {
        guard (1...1_000).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...1000") }
        guard (1...600).contains(duration), (0...60).contains(warmup) else { throw ValidationError("--duration must be in 1...600, --warmup in 0...60") }
        guard (1...5_000).contains(readers) else { throw ValidationError("--readers must be in 1...5000") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64") }
    }
}

/// The frame of a bench on seeded data: a server on the database the options name with its
/// limiters open (the benches measure the read path, not what protects it), seeded when empty,
/// then it and a bare router listening, readers signed in, routes measured against both.
struct SeededBench {
    let runtime: EntativaRuntime
    let config: EntativaConfig
    let load: LoadOptions

    init(_ options: ServerOptions, load: LoadOptions) async throws {
        var config = try options.config()
        config.logLevel = load.logLevel
        config.port = try LocalPort.free()
        config.limits.requestsPerSecond = 1e9
        config.limits.requestBurst = 1_000_000_000
        config.identity.loginAttemptsPerIP = max(config.identity.loginAttemptsPerIP, load.readers * 2 + 10)
        runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
        self.config = config
        self.load = load
    }

    /// Seeds with `seed` when the database has no seeded accounts.
    func seedIfEmpty(_ seed: SeedOptions) async throws {
        guard try await AccountSeeding(env: runtime.identity.env).usernames(limit: 1).isEmpty else { return }
        let bar = StagedProgress()
        let summary = try await Seeder(runtime: runtime).run(seed) { stage, done, total in bar.show(stage, done, total) }
        bar.finish()
        print("seeded \(summary.accounts) accounts, \(summary.follows) follows, \(summary.posts) posts, \(summary.takes) Takes")
    }

    struct Ports {
        var api: Int
        var bare: Int
        var tokens: [String]
        var base: URL
    }

    /// Starts the servers, signs readers in and prints the report of the `targets` built for
    /// them (the bare router and `/health/live` come first); `after` runs before the servers stop.
    func measure(
        bench: String, targets: (Ports) -> [(HTTPLoad.Target, ratioTo: Int?)], after: (Ports) async throws -> Void = { _ in }
    ) async throws {
        let usernames = try await AccountSeeding(env: runtime.identity.env).usernames(limit: load.readers)
        let server = BenchServer(runtime.application)
        defer { server.cancel() }
        let barePort = try LocalPort.free()
        let bare = BenchServer(HTTPBench.bareRouter(port: barePort))
        defer { bare.cancel() }
        try await LocalPort.waitUntilListening(config.port)
        try await LocalPort.waitUntilListening(barePort)
        let base = URL(string: "http://127.0.0.1:\(config.port)")!
        print("signing in \(usernames.count) seeded readers…")
        let ports = Ports(api: config.port, bare: barePort, tokens: try await FeedBench.signIn(usernames, base: base), base: base)
        let generator = HTTPLoad(group: MultiThreadedEventLoopGroup(numberOfThreads: load.threads), connections: load.concurrency)
        let all: [(HTTPLoad.Target, ratioTo: Int?)] = [
            (.init(label: "bare Hummingbird router, one route", port: barePort, path: "/"), nil),
            (.init(label: "GET /health/live", port: config.port, path: "/health/live"), 0),
        ] + targets(ports)
        let rows = try await HTTPBench.measure(all, with: generator, server: runtime, port: config.port, warmup: load.warmup, seconds: load.duration)
        print(HTTPBench.report(
            rows, idle: nil, engine: runtime.kernel.database.engine.rawValue, connections: load.concurrency, seconds: load.duration, bench: bench))
        try await after(ports)
        await bare.stop()
        await server.stop()
    }
}
