import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Media

struct AdminMedia: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "media", abstract: "Inspect and repair media.", subcommands: [Reprocess.self])

    struct Reprocess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Process a media item again from its stored source, here and now.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The media ID") var id: String

        func run() async throws {
            guard let mediaID = MediaID(id) else { throw ValidationError("\(id) is not a media ID") }
            try await withRuntime(options) { runtime in
                let bar = ProgressBar(title: "media \(mediaID)")
                do {
                    try await MediaProcessing(env: runtime.media.env).process(mediaID) { bar.update($0) }
                } catch let error as AppError {
                    throw ValidationError(error.problem.detail ?? error.title)
                }
                bar.finish()
                let outcome = try await MediaProcessing(env: runtime.media.env).state(of: mediaID)
                print("\(mediaID): \(outcome.state.rawValue)\(outcome.reason.map { " — \($0)" } ?? "")")
            }
        }
    }
}
