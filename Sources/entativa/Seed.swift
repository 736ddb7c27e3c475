import ArgumentParser
import EntativaServer
import Foundation
import Synchronization

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill an empty database with a realistic dataset for benchmarks and the engagement model (deterministic with --seed).",
        discussion: """
            Writes accounts, follows (and friendships on Entativa), posts, shares, reactions, comments, Takes, home entries \
            and impressions directly, through each module's seeding API. Run it on a database no server is using. \
            Every seeded account's password is "\(Seeder.password)".
            """)

    @OptionGroup var options: ServerOptions
    @Option(help: "Accounts to make (2–1,000,000)") var users = 10_000
    @Option(help: "Posts to make (0–20,000,000)") var posts = 1_000_000
    @Option(name: .customLong("follows-per-user"), help: "Accounts each account follows (0–5,000)") var followsPerUser = 100
    @Option(name: .customLong("friends-per-user"), help: "Friends each account has on Entativa (0–1,000)") var friendsPerUser = 20
    @Option(help: "Seed of the random choices: the same seed makes the same dataset") var seed: UInt64 = 1
    @Option(help: "Days before now the posts are spread over (2–365)") var days = 30
    @Option(help: "Takes to make, each showing one real seeded video (0–5,000,000)") var takes = 10_000
    @Option(name: .customLong("impression-readers"), help: "Readers given a history of impressions (0–1,000,000)") var impressionReaders = 2_000

    func validate() throws {
        let limits = SeedOptions.limits
        guard limits.users.contains(users) else { throw ValidationError("--users must be in 2...1000000") }
        guard limits.posts.contains(posts) else { throw ValidationError("--posts must be in 0...20000000") }
        guard limits.follows.contains(followsPerUser) else { throw ValidationError("--follows-per-user must be in 0...5000") }
        guard limits.friends.contains(friendsPerUser) else { throw ValidationError("--friends-per-user must be in 0...1000") }
        guard limits.takes.contains(takes) else { throw ValidationError("--takes must be in 0...5000000") }
        guard (2...365).contains(days) else { throw ValidationError("--days must be in 2...365") }
        guard (0...1_000_000).contains(impressionReaders) else { throw ValidationError("--impression-readers must be in 0...1000000") }
    }

    func run() async throws {
        var seedOptions = SeedOptions()
        seedOptions.users = users
        seedOptions.posts = posts
        seedOptions.followsPerUser = followsPerUser
        seedOptions.friendsPerUser = friendsPerUser
        seedOptions.seed = seed
        seedOptions.days = days
        seedOptions.impressionReaders = impressionReaders
        seedOptions.takes = takes
        let bar = StagedProgress()
        let start = ContinuousClock.now
        try await withRuntime(options) { runtime in
            let summary = try await Seeder(runtime: runtime).run(seedOptions) { stage, done, total in bar.show(stage, done, total) }
            bar.finish()
            print("""
                seeded in \(String(format: "%.0f", (ContinuousClock.now - start).timeInterval)) s: \(summary.accounts) accounts, \
                \(summary.follows) follows, \(summary.friendships) friendships, \(summary.posts) posts (\(summary.shares) shares), \
                \(summary.reactions) reactions, \(summary.comments) comments, \(summary.homeEntries) home entries, \(summary.impressions) impressions, \(summary.takes) Takes
                biggest audience: account \(summary.biggestAccount.map(\.description) ?? "none") with \(summary.biggestAudience) followers and friends
                every seeded account's password: \(Seeder.password)
                """)
        }
    }
}

/// One progress bar per seeding stage, each finished when the next begins.
final class StagedProgress: Sendable {
    private let current = Mutex<(stage: String, bar: ProgressBar)?>(nil)

    func show(_ stage: String, _ done: Int, _ total: Int) {
        let bar = current.withLock { current in
            if current?.stage != stage {
                current?.bar.finish()
                current = (stage, ProgressBar(title: stage.padding(toLength: 13, withPad: " ", startingAt: 0)))
            }
            return current!.bar
        }
        bar.update(total > 0 ? Double(done) / Double(total) : 1)
    }

    func finish() { current.withLock { $0?.bar.finish() } }
}
