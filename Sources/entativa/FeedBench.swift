import ArgumentParser
import EntativaCore
import EntativaKit
import EntativaModels
import EntativaServer
import Feed
import Foundation
import Graph
import Identity
import NIOPosix

/// Home timelines of seeded readers over HTTP against the same server's `/health/live` and a
/// bare router, in one run; then a publish by the account with the largest audience, timed to
/// its 201 and until it is in every follower's home.
struct FeedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Home timeline throughput, p50 and p99 on seeded data against /health/live and a bare router; publish fan-out time.",
        discussion: """
            Runs on the database the server options name (--data-dir or --database-url). When it has no seeded \
            accounts, it seeds one first with --users, --posts and --follows-per-user (entativa seed's defaults \
            are far larger than these).
            """)

    @OptionGroup var options: ServerOptions
    @Option(help: "Open keep-alive connections") var concurrency = 64
    @Option(help: "Seconds measured per route") var duration = 8
    @Option(help: "Seconds of warm-up per route, not measured") var warmup = 2
    @Option(help: "Orders to measure, comma-separated: chronological, engagement, ranked") var order = "chronological,engagement,ranked"
    @Option(help: "Seeded readers signed in and read in turn (1–5,000)") var readers = 200
    @Option(help: "Event-loop threads of the load generator") var threads = 2
    @Option(help: "Accounts to seed when the database has none") var users = 10_000
    @Option(help: "Posts to seed when the database has none") var posts = 200_000
    @Option(name: .customLong("follows-per-user"), help: "Follows per account to seed when the database has none") var followsPerUser = 100
    @Option(name: .customLong("log-level"), help: "The server's log level during the run") var logLevel = "warning"

    func validate() throws {
        guard (1...1_000).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...1000") }
        guard (1...600).contains(duration), (0...60).contains(warmup) else { throw ValidationError("--duration must be in 1...600, --warmup in 0...60") }
        guard (1...5_000).contains(readers) else { throw ValidationError("--readers must be in 1...5000") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64") }
        guard !orders.isEmpty, orders.count == order.split(separator: ",").count else {
            throw ValidationError("--order takes chronological, engagement and ranked, comma-separated")
        }
    }

    var orders: [HomeOrder] { order.split(separator: ",").compactMap { HomeOrder(rawValue: String($0)) } }

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
            (seed.users, seed.posts, seed.followsPerUser) = (users, posts, followsPerUser)
            let bar = StagedProgress()
            let summary = try await Seeder(runtime: runtime).run(seed) { stage, done, total in bar.show(stage, done, total) }
            bar.finish()
            print("seeded \(summary.accounts) accounts, \(summary.follows) follows, \(summary.posts) posts")
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
        let tokens = try await Self.signIn(usernames, base: base)
        let load = HTTPLoad(group: MultiThreadedEventLoopGroup(numberOfThreads: threads), connections: concurrency)
        let api = config.port
        var targets: [(HTTPLoad.Target, ratioTo: Int?)] = [
            (.init(label: "bare Hummingbird router, one route", port: barePort, path: "/"), nil),
            (.init(label: "GET /health/live", port: api, path: "/health/live"), 0),
        ]
        for order in orders {
            targets.append((.init(label: "GET /api/v1/timelines/home?order=\(order.rawValue) (20)", port: api,
                                  path: "/api/v1/timelines/home?order=\(order.rawValue)&limit=20", bearers: tokens), 0))
        }
        let rows = try await HTTPBench.measure(targets, with: load, server: runtime, port: api, warmup: warmup, seconds: duration)
        let publish = try await Self.publish(runtime: runtime, base: base)
        print(HTTPBench.report(rows, idle: nil, engine: runtime.kernel.database.engine.rawValue, connections: concurrency, seconds: duration, bench: "feed"))
        print(publish)
        await bare.stop()
        await server.stop()
    }

    /// Signs readers in eight at a time: bcrypt makes each sign-in cost a quarter of a second at cost 12.
    static func signIn(_ usernames: [String], base: URL) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            var tokens: [String] = []
            var pending = usernames[...]
            func start() {
                guard let username = pending.popFirst() else { return }
                group.addTask {
                    guard case .signedIn(let tokens) = try await EntativaClient(baseURL: base).logIn(username, password: Seeder.password) else {
                        throw ValidationError("\(username) has a second factor; seeded accounts have none")
                    }
                    return tokens.accessToken
                }
            }
            for _ in 0..<8 { start() }
            while let token = try await group.next() {
                tokens.append(token)
                start()
            }
            return tokens
        }
    }

    /// A post by the account with the largest audience: time to its 201, and until fan-out has
    /// put it in every follower's home (at once when the author is pulled on read).
    static func publish(runtime: EntativaRuntime, base: URL) async throws -> String {
        guard let (author, size) = try await GraphSeeding(env: runtime.graph.env).largestAudience() else { return "publish: no follows to publish to" }
        // Followers who are also friends count once in a home.
        var members = 0
        var after: AccountID?
        while let last = try await Self.members(runtime, author, after: after, count: &members) { after = last }
        let profile = try await Profiles(env: runtime.identity.env).account(author, viewer: nil, counts: false)
        let client = EntativaClient(baseURL: base)
        _ = try await client.logIn(profile.username, password: Seeder.password)
        let start = ContinuousClock.now
        let post = try await client.publish(CreatePostRequest(text: "Benchmarking fan-out to \(size) readers."))
        var answers = [(ContinuousClock.now - start).timeInterval]
        let feed = FeedSeeding(env: runtime.feed.env)
        var spread: String
        if size >= feed.fanOutThreshold {
            spread = String(format: "pulled on read (threshold %d), so in every home at once", feed.fanOutThreshold)
        } else {
            var homes = 0
            while homes < members + 1, ContinuousClock.now - start < .seconds(120) {
                try await Task.sleep(for: .milliseconds(20))
                homes = try await feed.homesHolding(post.id)
            }
            spread = String(format: "the first in %d of %d homes after %.2f s", homes, members + 1, (ContinuousClock.now - start).timeInterval)
        }
        // One answer is one sample of a single writer's commit; a few more give its spread.
        for index in 1..<Self.publishes {
            let started = ContinuousClock.now
            _ = try await client.publish(CreatePostRequest(text: "Benchmarking fan-out to \(size) readers, \(index)."))
            answers.append((ContinuousClock.now - started).timeInterval)
        }
        answers.sort()
        return String(format: "publish by the largest audience (%d), %d posts: 201 in %.1f ms median, %.1f ms at most; ",
                      size, answers.count, answers[answers.count / 2] * 1000, answers.last! * 1000) + spread
    }

    static let publishes = 5

    private static func members(_ runtime: EntativaRuntime, _ author: AccountID, after: AccountID?, count: inout Int) async throws -> AccountID? {
        let page = try await HomeGraph(env: runtime.graph.env).members(of: author, after: after, limit: 1_000)
        count += page.count
        return page.last
    }
}
