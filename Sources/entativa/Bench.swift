import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Identity
import Media

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their figures (never part of the tests).", subcommands: [MediaLadder.self, NotificationBench.self, JobBench.self, HTTPBench.self, FeedBench.self, MessagingBench.self, StoryBench.self, TakeBench.self, SearchBench.self])

    struct MediaLadder: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "media-ladder",
            abstract: "Time to make a video's HLS ladder, poster and sprite: bare ffmpeg vs the Entativa pipeline.")

        @Option(help: "A video to use; by default one is made with ffmpeg's test source") var input: String?
        @Option(help: "Length of the generated video in seconds") var seconds = 20
        @Option(help: "Size of the generated video") var size = "1920x1080"
        @Option(help: "How many times to run each side; the figures are medians") var runs = 1

        func run() async throws {
            let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let source = try input.map { URL(fileURLWithPath: $0) } ?? makeInput(in: work)

            var config = EntativaConfig.bench(in: work.appendingPathComponent("data"))
            config.jobWorkers = 0
            let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
            defer { Task { await runtime.kernel.database.shutdown() } }
            let owner = try await Registration(env: runtime.identity.env)
                .createByOperator(username: "bench", email: "bench@localhost.invalid", password: "measuring ladders here", role: .user)

            var bare: [Double] = []
            var pipeline: [Double] = []
            for run in 1...runs {
                let scratch = work.appendingPathComponent("bare-\(run)")
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                let commands = try await LadderBenchmark.bareCommands(input: source, workDirectory: scratch, tools: MediaTools())
                let start = ContinuousClock.now
                for arguments in commands { try runTool("ffmpeg", arguments) }
                bare.append((ContinuousClock.now - start).timeInterval)
                pipeline.append(try await LadderBenchmark.timePipeline(input: source, env: runtime.media.env, owner: owner.id))
                print(String(format: "run %d: bare ffmpeg %.2f s, Entativa %.2f s", run, bare.last!, pipeline.last!))
            }
            let bareMedian = bare.sorted()[bare.count / 2]
            let pipelineMedian = pipeline.sorted()[pipeline.count / 2]
            print(String(format: "media-ladder on %d cores: bare ffmpeg %.2f s, Entativa %.2f s, overhead %+.1f %% (target ≤ 10 %%)",
                         ProcessInfo.processInfo.activeProcessorCount, bareMedian, pipelineMedian, (pipelineMedian / bareMedian - 1) * 100))
        }

        func makeInput(in directory: URL) throws -> URL {
            let output = directory.appendingPathComponent("input.mp4")
            try runTool("ffmpeg", [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=30:duration=\(seconds)",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)", "-c:v", "libx264", "-preset", "ultrafast",
                "-b:v", "4M", "-c:a", "aac", "-shortest", output.path,
            ])
            return output
        }
    }
}

/// Runs a tool to completion, failing the command if it fails.
func runTool(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ValidationError("\(tool) exited with \(process.terminationStatus)") }
}
