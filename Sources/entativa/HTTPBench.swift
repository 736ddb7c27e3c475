import ArgumentParser
import EntativaCore
import EntativaKit
import EntativaModels
import EntativaServer
import Foundation
import Hummingbird
import NIOPosix

/// The read path against the bare framework, in one run: a bare Hummingbird router started in
/// this process, then Entativa's cheapest route and its reads, each as a ratio to the one above.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Throughput, p50 and p99 of the read path against a bare router, with statements per request and idle CPU.")

    enum Engine: String, ExpressibleByArgument, CaseIterable { case sqlite, postgres }

    @Option(help: "sqlite (a temporary directory) or postgres (needs --database-url)") var engine: Engine = .sqlite
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL for --engine postgres") var databaseURL: String?
    @Option(help: "Open keep-alive connections") var connections = 64
    @Option(help: "Event-loop threads of the load generator") var threads = 2
    @Option(help: "Seconds measured per route") var seconds = 8
    @Option(help: "Seconds of warm-up per route, not measured") var warmup = 2
    @Option(help: "Seconds of idleness measured at the end") var idleSeconds = 5
    @Option(name: .customLong("log-level"), help: "The server's log level during the run") var logLevel = "warning"

    func validate() throws {
        guard engine == .sqlite || databaseURL != nil else { throw ValidationError("--engine postgres needs --database-url") }
        guard engine == .postgres || databaseURL == nil else { throw ValidationError("--database-url is for --engine postgres") }
        guard (1...1_000).contains(connections) else { throw ValidationError("--connections must be in 1...1000") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64") }
        guard (1...600).contains(seconds), (0...60).contains(warmup), (1...600).contains(idleSeconds) else {
            throw ValidationError("--seconds and --idle-seconds must be in 1...600, --warmup in 0...60")
        }
    }

    struct Row {
        var target: HTTPLoad.Target
        var result: HTTPLoad.Result
        var statementsPerRequest: Double?
        var ratioTo: String?
        var ratio: Double?
    }

    func run() async throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var config = EntativaConfig.bench(in: work, databaseURL: databaseURL)
        config.logLevel = logLevel
        config.port = try LocalPort.free()
        config.identity.registrationsPerIP = 1_000
        // The bench measures the read path, not the limiter that protects it.
        config.limits.requestsPerSecond = 1e9
        config.limits.requestBurst = 1_000_000_000
        let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
        let server = BenchServer(runtime.application)
        defer { server.cancel() }
        let barePort = try LocalPort.free()
        let bare = BenchServer(Self.bareRouter(port: barePort))
        defer { bare.cancel() }
        try await LocalPort.waitUntilListening(config.port)
        try await LocalPort.waitUntilListening(barePort)

        let seed = try await Self.seed(port: config.port)
        let load = HTTPLoad(group: MultiThreadedEventLoopGroup(numberOfThreads: threads), connections: connections)
        let api = config.port
        let targets: [(HTTPLoad.Target, ratioTo: Int?)] = [
            (.init(label: "bare Hummingbird router, one route", port: barePort, path: "/"), nil),
            (.init(label: "GET /health/live", port: api, path: "/health/live"), 0),
            (.init(label: "GET /api/v1/posts/{id}, anonymous", port: api, path: "/api/v1/posts/\(seed.post)"), 1),
            (.init(label: "GET /api/v1/posts/{id}, with a token", port: api, path: "/api/v1/posts/\(seed.post)", bearer: seed.viewerToken), 1),
            (.init(label: "GET /api/v1/accounts/{id}/posts (20), with a token", port: api,
                   path: "/api/v1/accounts/\(seed.author)/posts?limit=20", bearer: seed.viewerToken), 1),
        ]
        let rows = try await Self.measure(targets, with: load, server: runtime, port: api, warmup: warmup, seconds: seconds)
        try await Task.sleep(for: .seconds(1))
        let idle = try await Self.idleCost(of: runtime, seconds: idleSeconds)
        print(Self.report(rows, idle: idle, engine: runtime.kernel.database.engine.rawValue, connections: connections, seconds: seconds))
        await bare.stop()
        await server.stop()
    }

    /// Measures each target in turn after its warm-up, printing its line as it goes: throughput,
    /// latencies, statements per request on the server under test (`port`), and the ratio to the
    /// target it names.
    static func measure(
        _ targets: [(HTTPLoad.Target, ratioTo: Int?)], with load: HTTPLoad, server runtime: EntativaRuntime, port: Int, warmup: Int, seconds: Int
    ) async throws -> [Row] {
        var rows: [Row] = []
        for (target, reference) in targets {
            if warmup > 0 { _ = try await load.measure(target, for: .seconds(warmup)) }
            let before = runtime.kernel.database.statementsExecuted
            let result = try await load.measure(target, for: .seconds(seconds))
            let statements = runtime.kernel.database.statementsExecuted - before
            var row = Row(target: target, result: result)
            if target.port == port { row.statementsPerRequest = Double(statements) / Double(max(1, result.answered)) }
            if let reference {
                row.ratioTo = rows[reference].target.label
                row.ratio = result.perSecond / rows[reference].result.perSecond
            }
            rows.append(row)
            print(line(row))
        }
        return rows
    }

    struct Seed {
        var author: AccountID
        var post: PostID
        var viewerToken: String
    }

    /// An author with 30 posts, and a viewer who reacted to and saved the one read, so the viewer's
    /// own state is found rather than absent. Made through the SDK, as a user would.
    static func seed(port: Int) async throws -> Seed {
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let author = EntativaClient(baseURL: base)
        let authorTokens = try await author.register(RegisterRequest(username: "bench_author", email: "author@bench.invalid", password: "benchmarking the read path"))
        var posts: [Post] = []
        for index in 0..<30 {
            posts.append(try await author.publish(CreatePostRequest(text: "Post number \(index) from the benchmark, with #bench and a few words more.")))
        }
        let viewer = EntativaClient(baseURL: base)
        let viewerTokens = try await viewer.register(RegisterRequest(username: "bench_viewer", email: "viewer@bench.invalid", password: "benchmarking the read path"))
        let read = posts[posts.count - 1].id
        _ = try await viewer.react(to: read, with: .love)
        _ = try await author.react(to: read, with: .like)
        _ = try await viewer.save(read)
        return Seed(author: authorTokens.account.id, post: read, viewerToken: viewerTokens.accessToken)
    }

    static func bareRouter(port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.get("/") { _, _ in "ok" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }

    struct Idle {
        var coreShare: Double
        var statementsPerSecond: Double
    }

    /// CPU of this whole process (server, idle load generator, bare router) while nobody asks
    /// anything, and the statements the server sends meanwhile.
    static func idleCost(of runtime: EntativaRuntime, seconds: Int) async throws -> Idle {
        let statements = runtime.kernel.database.statementsExecuted
        let cpu = processCPUSeconds()
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(seconds))
        let elapsed = (ContinuousClock.now - start).timeInterval
        return Idle(
            coreShare: (processCPUSeconds() - cpu) / elapsed,
            statementsPerSecond: Double(runtime.kernel.database.statementsExecuted - statements) / elapsed)
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func line(_ row: Row) -> String {
        let result = row.result
        var text = String(format: "%@: %.0f req/s, p50 %.2f ms, p99 %.2f ms", row.target.label, result.perSecond, result.percentile(0.5), result.percentile(0.99))
        if let ratio = row.ratio, let reference = row.ratioTo { text += String(format: ", %.1f %% of %@", ratio * 100, reference) }
        if let statements = row.statementsPerRequest { text += String(format: ", %.2f statements/request", statements) }
        if result.failures > 0 { text += ", \(result.failures) failed answers" }
        return text
    }

    static func report(_ rows: [Row], idle: Idle?, engine: String, connections: Int, seconds: Int, bench: String = "http") -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var lines = [
            "",
            "bench \(bench) on \(engine), \(cores) cores, \(connections) connections, \(seconds) s per route",
            "",
            "| route | req/s | p50 ms | p99 ms | ratio | statements/req | failed |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in rows {
            let ratio = row.ratio.map { String(format: "%.1f %% of %@", $0 * 100, row.ratioTo!.components(separatedBy: ",")[0]) } ?? "—"
            let statements = row.statementsPerRequest.map { String(format: "%.2f", $0) } ?? "—"
            lines.append(String(
                format: "| %@ | %.0f | %.2f | %.2f | %@ | %@ | %d |", row.target.label, row.result.perSecond,
                row.result.percentile(0.5), row.result.percentile(0.99), ratio, statements, row.result.failures))
        }
        if let idle {
            lines.append("")
            lines.append(String(format: "idle: %.2f %% of a core, %.1f statements/s", idle.coreShare * 100, idle.statementsPerSecond))
        }
        return lines.joined(separator: "\n")
    }
}
