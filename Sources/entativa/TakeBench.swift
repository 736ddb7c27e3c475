import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation

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
    @OptionGroup var load: LoadOptions
    @Option(help: "Accounts to seed when the database has none") var users = 10_000
    @Option(help: "Posts to seed when the database has none") var posts = 100_000
    @Option(name: .customLong("follows-per-user"), help: "Follows per account to seed when the database has none") var followsPerUser = 100
    @Option(help: "Takes to seed when the database has none") var takes = 20_000

    func validate() throws {
        guard SeedOptions.limits.takes.contains(takes), takes > 0 else { throw ValidationError("--takes must be in 1...5000000") }
    }

    func run() async throws {
        let bench = try await SeededBench(options, load: load)
        var seed = SeedOptions()
        (seed.users, seed.posts, seed.followsPerUser, seed.takes) = (users, posts, followsPerUser, takes)
        try await bench.seedIfEmpty(seed)
        try await bench.measure(bench: "takes") { ports in
            [
                (.init(label: "GET /api/v1/takes/feed (20)", port: ports.api, path: "/api/v1/takes/feed?limit=20", bearers: ports.tokens), 0),
                (.init(label: "GET /api/v1/takes/trends", port: ports.api, path: "/api/v1/takes/trends?limit=20", bearers: ports.tokens), 0),
            ]
        }
    }
}
