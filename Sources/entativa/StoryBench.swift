import ArgumentParser
import EntativaCore
import EntativaKit
import EntativaModels
import EntativaServer
import Foundation
import Graph
import Identity
import NIOPosix
import Stories

/// The stories tray of viewers who follow many accounts with live stories, over HTTP, against
/// `/health/live` and a bare router in the same run.
struct StoryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stories",
        abstract: "Stories tray throughput, p50 and p99 for viewers following many accounts with live stories, against /health/live and a bare router.")

    @Option(help: "sqlite (a temporary directory) or postgres (needs --database-url, an empty database)") var engine: HTTPBench.Engine = .sqlite
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL for --engine postgres") var databaseURL: String?
    @Option(help: "Accounts with live stories that every viewer follows") var authors = 1_000
    @Option(name: .customLong("stories-per-author"), help: "Live stories each of them has") var storiesPerAuthor = 2
    @Option(help: "Viewers signed in and read in turn") var viewers = 20
    @Option(help: "Open keep-alive connections") var connections = 64
    @Option(help: "Event-loop threads of the load generator") var threads = 2
    @Option(help: "Seconds measured per route") var seconds = 8
    @Option(help: "Seconds of warm-up per route, not measured") var warmup = 2
    @Option(name: .customLong("log-level"), help: "The server's log level during the run") var logLevel = "warning"

    func validate() throws {
        guard engine == .sqlite || databaseURL != nil else { throw ValidationError("--engine postgres needs --database-url") }
        guard engine == .postgres || databaseURL == nil else { throw ValidationError("--database-url is for --engine postgres") }
        guard (1...7_500).contains(authors) else { throw ValidationError("--authors must be in 1...7500 (the follow limit)") }
        guard (1...100).contains(storiesPerAuthor) else { throw ValidationError("--stories-per-author must be in 1...100") }
        guard (1...1_000).contains(viewers) else { throw ValidationError("--viewers must be in 1...1000") }
        guard (1...1_000).contains(connections) else { throw ValidationError("--connections must be in 1...1000") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64") }
        guard (1...600).contains(seconds), (0...60).contains(warmup) else { throw ValidationError("--seconds must be in 1...600, --warmup in 0...60") }
    }

    /// A 1×1 PNG: the one picture every seeded story shows.
    static let pixel = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    func run() async throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var config = EntativaConfig.bench(in: work, databaseURL: databaseURL)
        config.logLevel = logLevel
        config.port = try LocalPort.free()
        // The bench measures the tray, not the limiters that protect it.
        config.limits.requestsPerSecond = 1e9
        config.limits.requestBurst = 1_000_000_000
        config.identity.loginAttemptsPerIP = max(config.identity.loginAttemptsPerIP, viewers * 2 + 10)
        let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
        let server = BenchServer(runtime.application)
        defer { server.cancel() }
        let barePort = try LocalPort.free()
        let bare = BenchServer(HTTPBench.bareRouter(port: barePort))
        defer { bare.cancel() }
        try await LocalPort.waitUntilListening(config.port)
        try await LocalPort.waitUntilListening(barePort)

        let base = URL(string: "http://127.0.0.1:\(config.port)")!
        print("seeding \(authors) authors with \(storiesPerAuthor) live stories each, followed by \(viewers) viewers…")
        let usernames = try await seed(runtime, base: base)
        let tokens = try await FeedBench.signIn(usernames, base: base)

        let load = HTTPLoad(group: MultiThreadedEventLoopGroup(numberOfThreads: threads), connections: connections)
        let api = config.port
        let targets: [(HTTPLoad.Target, ratioTo: Int?)] = [
            (.init(label: "bare Hummingbird router, one route", port: barePort, path: "/"), nil),
            (.init(label: "GET /health/live", port: api, path: "/health/live"), 0),
            (.init(label: "GET /api/v1/stories/tray (20 of \(authors))", port: api, path: "/api/v1/stories/tray?limit=20", bearers: tokens), 1),
        ]
        let rows = try await HTTPBench.measure(targets, with: load, server: runtime, port: api, warmup: warmup, seconds: seconds)
        print(HTTPBench.report(rows, idle: nil, engine: runtime.kernel.database.engine.rawValue, connections: connections, seconds: seconds, bench: "stories"))
        await bare.stop()
        await server.stop()
    }

    /// Authors and viewers as seeded accounts; every viewer follows every author; each author has
    /// live stories posted over the last hours, and each viewer has seen a third of them.
    private func seed(_ runtime: EntativaRuntime, base: URL) async throws -> [String] {
        let kernel = runtime.kernel
        let now = kernel.clock.nowMillis()
        let people = (0..<(authors + viewers)).map { index in
            let name = index < authors ? "bench_author_\(index)" : "bench_viewer_\(index - authors)"
            return SeededAccount(id: kernel.ids.next(AccountID.self), username: name, displayName: name, bio: "", createdAt: now)
        }
        try await AccountSeeding(env: runtime.identity.env).insert(people, password: Seeder.password)
        let (authorIDs, viewerAccounts) = (people.prefix(authors).map(\.id), people.suffix(viewers))
        try await GraphSeeding(env: runtime.graph.env).insertFollows(
            viewerAccounts.flatMap { viewer in authorIDs.map { SeededEdge(source: viewer.id, target: $0, createdAt: now) } })

        let uploader = EntativaClient(baseURL: base)
        _ = try await uploader.logIn(people[0].username, password: Seeder.password)
        var media = try await uploader.uploadMedia(Self.pixel, fileName: "pixel.png")
        let deadline = ContinuousClock.now + .seconds(60)
        while media.state != .ready {
            guard media.state != .failed, ContinuousClock.now < deadline else { throw ValidationError("the seeded picture did not process: \(media.state)") }
            try await Task.sleep(for: .milliseconds(100))
            media = try await uploader.media(media.id)
        }

        let seeding = StorySeeding(env: runtime.stories.env)
        var stories: [SeededStory] = []
        for (index, author) in authorIDs.enumerated() {
            for story in 0..<storiesPerAuthor {
                stories.append(SeededStory(id: seeding.nextID(), author: author, createdAt: now - Int64((index + story * 7) % 20) * 3_600_000))
            }
        }
        try await seeding.insert(stories, showing: media.id)
        var views: [SeededStoryView] = []
        for viewer in viewerAccounts {
            for (index, story) in stories.enumerated() where index % 3 == 0 {
                views.append(SeededStoryView(id: seeding.nextViewID(), story: story.id, viewer: viewer.id, at: now))
            }
        }
        try await seeding.insert(views)
        return viewerAccounts.map(\.username)
    }
}
