import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Identity
import NIOPosix

/// The Takes feed of seeded readers over HTTP against the same server's `/health/live` and a
/// bare router, in one run, on the dataset `entativa seed` makes (seeding one when the database
/// has no Takes).
struct TakeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takes",
        abstract: "Takes feed throughput, p50 and p99 on seeded data against /health/live and a bare router.",
        discussion: """
            Runs on the database the server options name (--data-dir or --database-url). When it has no seeded \
            accounts, it seeds one first with --users, --posts, --follows-per-user and --takes.
            """)

    @OptionGroup var options: ServerOptions
    @Option(help: "Open keep-alive connections") var concurrency = 64
    @Option(help: "Seconds measured per route") var duration = 8
    @Option(help: "Seconds of warm-up per route, not measured") var warmup = 2
    @Option(help: "Seeded readers signed in and read in turn (1–5,000)") var readers = 200
    @Option(help: "Event-loop threads of the load generator") var threads = 2
    @Option(help: "Accounts to seed when the database has none") var users = 10_000
    @Option(help: "Posts to seed when the database has none") var posts = 100_000
    @Option(name: .customLong("follows-per-user"), help: "Follows per account to seed when the database has none") var followsPerUser = 100
    @Option(help: "Takes to seed when the database has none") var takes = 20_000
    @Option(name: .customLong("log-level"), help: "The server's log level during the run") var logLevel = "warning"

    func validate() throws {
        guard (1...1_000).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...1000") }
        guard (1...600).contains(duration), (0...60).contains(warmup) else { throw ValidationError("--duration must be in 1...600, --warmup in 0...60") }
        guard (1...5_000).contains(readers) else { throw ValidationError("--readers must be in 1...5000") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64") }
        guard SeedOptions.limits.takes.contains(takes), takes > 0 else { throw ValidationError("--takes must be in 1...5000000") }
    }

    func run() async throws {
        var config = try options.config()
        config.logLevel = logLevel
        config.port = try LocalPort.free()
        // The bench measures the read path, not the limiter that protects it.
        config.limits.requestsPerSecond = 1e9
        config.limits.requestBurst = 1_000_000_000
        config.identity.loginAttemptsPerIP = max(config.identity.loginAttemptsPerIP, readers * 2 + 10)
        let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
        var usernames = try await AccountSeeding(env: runtime.identity.env).usernames(limit: readers)
        if usernames.isEmpty {
            var seed = SeedOptions()
            (seed.users, seed.posts, seed.followsPerUser, seed.takes) = (users, posts, followsPerUser, takes)
            let bar = StagedProgress()
            let summary = try await Seeder(runtime: runtime).run(seed) { stage, done, total in bar.show(stage, done, total) }
            bar.finish()
            print("seeded \(summary.accounts) accounts, \(summary.follows) follows, \(summary.posts) posts, \(summary.takes) Takes")
            usernames = try await AccountSeeding(env: runtime.identity.env).usernames(limit: readers)
        }
        let server = BenchServer(runtime.application)
        defer { server.cancel() }
        let barePort = try LocalPort.free()
        let bare = BenchServer(HTTPBench.bareRouter(port: barePort))
        defer { bare.cancel() }
        try await LocalPort.waitUntilListening(config.port)
        try await LocalPort.waitUntilListening(barePort)

        let base = URL(string: "http://127.0.0.1:\(config.port)")!
        print("signing in \(usernames.count) seeded readers…")
        let tokens = try await FeedBench.signIn(usernames, base: base)
        let load = HTTPLoad(group: MultiThreadedEventLoopGroup(numberOfThreads: threads), connections: concurrency)
        let api = config.port
        let targets: [(HTTPLoad.Target, ratioTo: Int?)] = [
            (.init(label: "bare Hummingbird router, one route", port: barePort, path: "/"), nil),
            (.init(label: "GET /health/live", port: api, path: "/health/live"), 0),
            (.init(label: "GET /api/v1/takes/feed (20)", port: api, path: "/api/v1/takes/feed?limit=20", bearers: tokens), 0),
            (.init(label: "GET /api/v1/takes/trends", port: api, path: "/api/v1/takes/trends?limit=20", bearers: tokens), 0),
        ]
        let rows = try await HTTPBench.measure(targets, with: load, server: runtime, port: api, warmup: warmup, seconds: duration)
        print(HTTPBench.report(rows, idle: nil, engine: runtime.kernel.database.engine.rawValue, connections: concurrency, seconds: duration, bench: "takes"))
        await bare.stop()
        await server.stop()
    }
}
