import ArgumentParser
import EntativaServer
import Hummingbird

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (migrating the database first).")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let config = try options.config()
        let logger = LogSetup.bootstrap(config)
        let runtime = try await buildApplication(config: config, logger: logger)
        try await runtime.application.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        var config = try options.config()
        config.jobWorkers = 0
        let logger = LogSetup.bootstrap(config)
        let runtime = try await buildApplication(config: config, logger: logger)
        await runtime.kernel.database.shutdown()
        print("Migrations applied (\(runtime.kernel.database.engine.rawValue)).")
    }
}
