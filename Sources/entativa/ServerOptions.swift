import ArgumentParser
import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import Logging

/// The options every command that opens the database shares. Each flag falls back to its
/// environment variable, then to the default (README, "Configuration").
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on [ENTATIVA_HOST, default 127.0.0.1]")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one [ENTATIVA_PORT, default 8080]")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and other data [ENTATIVA_DATA_DIR, default ./data]")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"), help: "postgres://user:pass@host/db switches to PostgreSQL [DATABASE_URL]")
    var databaseURL: String?

    @Option(help: "Which network to run: entativa or vignette [ENTATIVA_PLATFORM, default entativa]")
    var platform: Platform?

    @Option(name: .customLong("log-format"), help: "text or json [ENTATIVA_LOG_FORMAT, default text]")
    var logFormat: ServerConfig.LogFormat?

    /// The kernel's settings from the flags and variables here; each module reads its own
    /// variables (`EntativaConfig(server:reading:)`).
    func config(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EntativaConfig {
        let server = try serverConfig(environment: environment)
        do {
            return try EntativaConfig(server: server, reading: SettingsReader(environment))
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }

    private func serverConfig(environment: [String: String]) throws -> ServerConfig {
        var config = ServerConfig()
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func parse<T>(_ name: String, _ convert: (String) -> T?) throws -> T? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = convert(text) else { throw ValidationError("\(name)=\(text) is not valid") }
            return value
        }
        config.host = value(host, "ENTATIVA_HOST") ?? config.host
        config.port = try port ?? parse("ENTATIVA_PORT", Int.init) ?? config.port
        config.dataDirectory = value(dataDirectory, "ENTATIVA_DATA_DIR") ?? config.dataDirectory
        config.databaseURL = value(databaseURL, "DATABASE_URL")
        config.databaseConnectionsPerLoop =
            try parse("ENTATIVA_DATABASE_CONNECTIONS_PER_LOOP", { Int($0).flatMap { (1...64).contains($0) ? $0 : nil } })
            ?? config.databaseConnectionsPerLoop
        config.platform = try platform ?? parse("ENTATIVA_PLATFORM", Platform.init(rawValue:)) ?? config.platform
        config.logFormat = try logFormat ?? parse("ENTATIVA_LOG_FORMAT", ServerConfig.LogFormat.init(rawValue:)) ?? config.logFormat
        config.logLevel = environment["ENTATIVA_LOG_LEVEL"] ?? config.logLevel
        config.customInstanceName = environment["ENTATIVA_INSTANCE_NAME"].flatMap { $0.isEmpty ? nil : $0 }
        config.instanceNumber = try parse("ENTATIVA_INSTANCE_NUMBER", { Int($0).flatMap { (0..<1024).contains($0) ? $0 : nil } }) ?? config.instanceNumber
        do {
            let jobs = try JobSettings(environment: environment)
            config.jobWorkers = jobs.workers ?? config.jobWorkers
            config.jobLanes = jobs.lanes
            config.jobLease = jobs.lease ?? config.jobLease
        } catch {
            throw ValidationError("\(error)")
        }
        config.trustProxy = try parse("ENTATIVA_TRUST_PROXY", SettingsReader.bool) ?? config.trustProxy
        config.publicBaseURL = environment["ENTATIVA_PUBLIC_URL"]
        config.limits.requestBurst = try parse("ENTATIVA_REQUEST_BURST", { Int($0).flatMap { $0 > 0 ? $0 : nil } }) ?? config.limits.requestBurst
        config.limits.requestsPerSecond =
            try parse("ENTATIVA_REQUESTS_PER_SECOND", { Double($0).flatMap { $0 > 0 ? $0 : nil } }) ?? config.limits.requestsPerSecond
        config.limits.socketsPerAccount =
            try parse("ENTATIVA_SOCKETS_PER_ACCOUNT", { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } }) ?? config.limits.socketsPerAccount
        try mail(into: &config, environment: environment, parse: parse)
        return config
    }

    /// `SMTP_*`: the relay every module's mail goes through.
    private func mail(
        into config: inout ServerConfig, environment: [String: String], parse: (String, (String) -> Int?) throws -> Int?
    ) throws {
        func text(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let host = text("SMTP_HOST") {
            guard let from = text("SMTP_FROM") else { throw ValidationError("SMTP_FROM is required with SMTP_HOST") }
            guard let security = SMTPSettings.Security(rawValue: text("SMTP_SECURITY") ?? "starttls") else {
                throw ValidationError("SMTP_SECURITY must be one of \(SMTPSettings.Security.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let port = try parse("SMTP_PORT", { Int($0).flatMap { (1...65535).contains($0) ? $0 : nil } }) ?? (security == .tls ? 465 : 587)
            config.smtp = SMTPSettings(
                host: host, port: port, username: text("SMTP_USERNAME"), password: text("SMTP_PASSWORD"), from: from, security: security,
                caFile: text("SMTP_CA_FILE"))
        }
    }
}

extension Platform: ExpressibleByArgument {}
extension ServerConfig.LogFormat: ExpressibleByArgument {}

enum LogSetup {
    /// Once per process: swift-log's global bootstrap.
    static func bootstrap(_ config: EntativaConfig) -> Logger {
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                config.logFormat == .json
                ? JSONLogHandler(label: label) : DeferredMetadataLogHandler(StreamLogHandler.standardOutput(label: label))
            handler.logLevel = level
            return handler
        }
        return Logger(label: "entativa")
    }
}
