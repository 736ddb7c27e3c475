import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Synchronization
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

/// A one-line progress bar on a terminal; plain percentages every tenth when piped.
final class ProgressBar: Sendable {
    let title: String
    let interactive = isatty(STDOUT_FILENO) == 1
    private let last = Mutex(-1)

    init(title: String) { self.title = title }

    func update(_ fraction: Double) {
        let percent = Int(max(0, min(1, fraction)) * 100)
        let step = interactive ? percent : percent / 10 * 10
        guard last.withLock({ previous in
            defer { previous = max(previous, step) }
            return step > previous
        }) else { return }
        if interactive {
            let filled = percent * 30 / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
            FileHandle.standardOutput.write(Data("\r\(title) [\(bar)] \(percent)%".utf8))
        } else {
            print("\(title): \(step)%")
        }
    }

    func finish() {
        if interactive { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}
