import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Identity

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administer accounts, background jobs, media, the feed's model, suggestions and search.", subcommands: [CreateUser.self, Jobs.self, AdminMedia.self, AdminModel.self, AdminRecommend.self, AdminSearch.self])
}

/// Opens the database without serving, runs `body`, and closes it again.
func withRuntime(_ options: ServerOptions, _ body: (EntativaRuntime) async throws -> Void) async throws {
    var config = try options.config()
    config.jobWorkers = 0
    config.logLevel = "warning"
    let runtime = try await buildApplication(config: config, logger: LogSetup.bootstrap(config))
    do {
        try await body(runtime)
    } catch {
        await runtime.kernel.database.shutdown()
        throw error
    }
    await runtime.kernel.database.shutdown()
}

struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-user", abstract: "Create an account with any role; prints a generated password if none is given.")

    @OptionGroup var options: ServerOptions
    @Option var username: String
    @Option var email: String?
    @Option(help: "Password; else $ENTATIVA_NEW_PASSWORD; else one is generated and printed")
    var password: String?
    @Option var role: Role = .user

    func run() async throws {
        let chosen = password ?? ProcessInfo.processInfo.environment["ENTATIVA_NEW_PASSWORD"]
        let secret = chosen ?? SecretToken.generate(bytes: 15)
        let address = email ?? "\(username.lowercased())@localhost.invalid"
        try await withRuntime(options) { runtime in
            do {
                let account = try await Registration(env: runtime.identity.env)
                    .createByOperator(username: username, email: address, password: secret, role: role)
                print("Created @\(account.username) (id \(account.id), role \(account.role.rawValue)).")
                if chosen == nil { print("Password: \(secret)") }
            } catch let error as AppError {
                throw ValidationError(error.problem.detail ?? error.title)
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
extension JobState: ExpressibleByArgument {}

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and retry background jobs.", subcommands: [List.self, Retry.self, Probe.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var options: ServerOptions
        @Option(help: "queued, running, done or dead") var state: JobState?
        @Option var limit: Int = 50
        @Flag(help: "One JSON object per line") var json = false

        func run() async throws {
            try await withRuntime(options) { runtime in
                let jobs = try await runtime.kernel.jobs.list(state: state, limit: limit)
                let encoder = EntativaJSON.encoder()
                for job in jobs {
                    if json {
                        print(String(decoding: try encoder.encode(job), as: UTF8.self))
                    } else {
                        let error = job.lastError.map { " — \($0.prefix(80))" } ?? ""
                        print("\(job.id)\t\(job.state)\t\(job.kind)\tattempts \(job.attempts)/\(job.maxAttempts)\(error)")
                    }
                }
                if !json { print("\(jobs.count) jobs") }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue dead jobs again.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "IDs of dead jobs") var ids: [Int64] = []
        @Flag(name: .customLong("all-dead"), help: "Retry every dead job") var allDead = false

        func validate() throws {
            guard allDead || !ids.isEmpty else { throw ValidationError("Name job IDs or pass --all-dead.") }
        }

        func run() async throws {
            try await withRuntime(options) { runtime in
                if allDead {
                    print("Queued \(try await runtime.kernel.jobs.retryAllDead()) dead jobs again.")
                }
                for id in ids {
                    let queued = try await runtime.kernel.jobs.retry(id: id)
                    print(queued ? "Queued job \(id) again." : "Job \(id) is not dead; left as it is.")
                }
            }
        }
    }

    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue probe jobs that only wait and log which worker ran them (\"probe job started/finished\"), to check the workers.")
        @OptionGroup var options: ServerOptions
        @Option(help: "How many probe jobs") var count = 1
        @Option(help: "How long each pretends to work, in milliseconds") var millis = 0
        @Option(help: "Labels are PREFIX-0, PREFIX-1 …") var prefix = "probe"

        func validate() throws {
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be in 1...100000") }
            guard (0...3_600_000).contains(millis) else { throw ValidationError("--millis must be in 0...3600000") }
        }

        func run() async throws {
            try await withRuntime(options) { runtime in
                let labels = try await runtime.kernel.jobs.enqueueProbes(count: count, prefix: prefix, millis: millis)
                print("Queued \(labels.count) probe jobs (\(labels.first ?? "")…).")
            }
        }
    }
}
