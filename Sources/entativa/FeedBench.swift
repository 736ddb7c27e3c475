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
    @OptionGroup var load: LoadOptions
    @Option(help: "Orders to measure, comma-separated: chronological, engagement, ranked") var order = "chronological,engagement,ranked"
    @Option(help: "Accounts to seed when the database has none") var users = 10_000
    @Option(help: "Posts to seed when the database has none") var posts = 200_000
    @Option(name: .customLong("follows-per-user"), help: "Follows per account to seed when the database has none") var followsPerUser = 100

    func validate() throws {
        guard !orders.isEmpty, orders.count == order.split(separator: ",").count else {
            throw ValidationError("--order takes chronological, engagement and ranked, comma-separated")
        }
    }

    var orders: [HomeOrder] { order.split(separator: ",").compactMap { HomeOrder(rawValue: String($0)) } }

    func run() async throws {
        let bench = try await SeededBench(options, load: load)
        var seed = SeedOptions()
        (seed.users, seed.posts, seed.followsPerUser) = (users, posts, followsPerUser)
        try await bench.seedIfEmpty(seed)
        let runtime = bench.runtime
        try await bench.measure(bench: "feed") { ports in
            orders.map { order in
                (.init(label: "GET /api/v1/timelines/home?order=\(order.rawValue) (20)", port: ports.api,
                       path: "/api/v1/timelines/home?order=\(order.rawValue)&limit=20", bearers: ports.tokens), 0)
            }
        } after: { ports in
            print(try await Self.publish(runtime: runtime, base: ports.base))
        }
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
