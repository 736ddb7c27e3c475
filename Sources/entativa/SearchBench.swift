import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Identity
import Search

/// Autocomplete and full search over HTTP against the same server's `/health/live` and a bare
/// router, in one run, on `entativa seed`'s accounts and posts indexed, plus made-up public
/// hashtags (issue 17: autocomplete p99 ≤ 10 ms on a million entities).
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Autocomplete and search throughput, p50 and p99 on seeded data against /health/live and a bare router.",
        discussion: """
            Runs on the database the server options name (--data-dir or --database-url). When it has no seeded accounts it \
            seeds --users accounts and --posts posts; when the index is empty it indexes them and files --hashtags made-up \
            public hashtags, so accounts + hashtags is the entity count.
            """)

    @OptionGroup var options: ServerOptions
    @OptionGroup var load: LoadOptions
    @Option(help: "Accounts to seed when the database has none") var users = 850_000
    @Option(help: "Posts to seed when the database has none") var posts = 200_000
    @Option(name: .customLong("follows-per-user"), help: "Follows per account to seed when the database has none") var followsPerUser = 20
    @Option(help: "Made-up public hashtags to file when the index is empty") var hashtags = 150_000

    func validate() throws {
        guard SeedOptions.limits.users.contains(users), SeedOptions.limits.posts.contains(posts) else {
            throw ValidationError("--users must be in \(SeedOptions.limits.users), --posts in \(SeedOptions.limits.posts)")
        }
        guard (0...5_000_000).contains(hashtags) else { throw ValidationError("--hashtags must be in 0...5000000") }
    }

    func run() async throws {
        let bench = try await SeededBench(options, load: load)
        let runtime = bench.runtime
        var seed = SeedOptions()
        (seed.users, seed.posts, seed.followsPerUser, seed.takes) = (users, posts, followsPerUser, 0)
        try await bench.seedIfEmpty(seed)
        let seeding = SearchSeeding(env: runtime.search.env)
        if try await seeding.counts().accounts == 0 {
            let started = ContinuousClock.now
            let bar = ProgressBar(title: "indexing")
            try await seeding.indexAll { bar.update($0) }
            bar.finish()
            let tags = ProgressBar(title: "hashtags")
            try await seeding.seedHashtags(hashtags, words: Self.words, now: runtime.kernel.clock.nowMillis()) { tags.update(Double($0) / Double(max(1, hashtags))) }
            tags.finish()
            print("indexed in \(ContinuousClock.now - started)")
        }
        let counts = try await seeding.counts()
        print("index: \(counts.accounts) accounts, \(counts.posts) posts, \(counts.hashtags) hashtags (\(counts.accounts + counts.hashtags) autocomplete entities)")
        let usernames = try await AccountSeeding(env: runtime.identity.env).usernames(limit: load.readers)
        try await bench.measure(bench: "search") { ports in
            [
                (.init(label: "GET /api/v1/search/autocomplete, anonymous", port: ports.api, path: "", paths: Self.autocompletePaths(usernames)), 0),
                (.init(label: "GET /api/v1/search/autocomplete, signed in", port: ports.api, path: "", bearers: ports.tokens, paths: Self.autocompletePaths(usernames)), 0),
                (.init(label: "GET /api/v1/search (accounts, posts; 20)", port: ports.api, path: "", bearers: ports.tokens, paths: Self.searchPaths()), 0),
            ]
        }
    }

    static let words = [
        "today", "morning", "sunset", "coffee", "walk", "city", "river", "friends", "music", "dinner", "garden", "train", "book",
        "weekend", "market", "bread", "trip", "home", "project", "street", "park", "light", "window", "green", "blue",
    ]

    /// What people type: the first one to four letters of seeded usernames and names, and of
    /// hashtags after `#`.
    static func autocompletePaths(_ usernames: [String]) -> [String] {
        var queries: [String] = []
        for (index, name) in usernames.enumerated() {
            queries.append(String(name.prefix(1 + index % 4)))
            if let last = name.split(separator: "_").dropFirst().first { queries.append(String(last.prefix(2 + index % 3))) }
        }
        for (index, word) in words.enumerated() { queries.append("#" + word.prefix(1 + index % 4)) }
        return queries.map { "/api/v1/search/autocomplete?limit=8&q=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" }
    }

    static func searchPaths() -> [String] {
        let queries = words.map { $0 + " " } + ["coffe ", "sunsett ", "gardn ", "ada", "bauer "]
        return queries.map { "/api/v1/search?type=accounts,posts&limit=20&q=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" }
    }
}
