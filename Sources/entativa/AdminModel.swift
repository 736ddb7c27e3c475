import ArgumentParser
import EntativaServer
import Feed
import Graph
import Foundation

struct AdminModel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "The feed's engagement model.", subcommands: [Train.self])

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the engagement model on recorded impressions now, store it as the next version and print its held-out AUC.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            try await withRuntime(options) { runtime in
                switch try await ModelTraining(env: runtime.feed.env).train() {
                case .trained(let version, let auc, let training, let heldOut):
                    print("model version \(version): held-out AUC \(String(format: "%.3f", auc)) (\(training) training, \(heldOut) held-out impressions)")
                case .notEnoughData(let impressions, let engaged):
                    print("no model trained: \(impressions) settled impressions (\(engaged) engaged) are too few to learn from and measure")
                    throw ExitCode(2)
                }
            }
        }
    }
}

struct AdminRecommend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recommend", abstract: "Account suggestions.", subcommands: [Eval.self])

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recall@k of account suggestions on held-out follows (the newest tenth of each sampled account's), against the most followed accounts.")
        @OptionGroup var options: ServerOptions
        @Option(help: "Accounts to sample (1–100,000)") var sample = 500
        @Option(help: "Suggestions counted per account (1–100)") var k = 10

        func validate() throws {
            guard (1...100_000).contains(sample) else { throw ValidationError("--sample must be in 1...100000") }
            guard (1...100).contains(k) else { throw ValidationError("--k must be in 1...100") }
        }

        func run() async throws {
            try await withRuntime(options) { runtime in
                let result = try await SuggestionEvaluation(env: runtime.graph.env).run(sample: sample, k: k)
                guard result.heldOut > 0 else {
                    print("no account has \(SuggestionEvaluation.minimumFollows) follows to hold some out; seed data first (entativa seed)")
                    throw ExitCode(2)
                }
                print(String(
                    format: "recall@%d on %d held-out follows of %d accounts: suggestions %.3f, popularity baseline %.3f",
                    k, result.heldOut, result.accounts, result.suggestionRecall, result.popularityRecall))
            }
        }
    }
}
