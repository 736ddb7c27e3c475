import ArgumentParser
import EntativaServer
import Search

struct AdminSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "The search index.", subcommands: [Reindex.self])

    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring every account and post in the search index in line with what they are now, while the server keeps serving.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            try await withRuntime(options) { runtime in
                let bar = ProgressBar(title: "reindexing")
                let summary = try await Search.Reindex(env: runtime.search.env).run { bar.update($0) }
                bar.finish()
                print("reindexed \(summary.accounts) accounts and \(summary.posts) posts")
            }
        }
    }
}
