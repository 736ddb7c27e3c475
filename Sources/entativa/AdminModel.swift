import ArgumentParser
import EntativaServer
import Feed
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
