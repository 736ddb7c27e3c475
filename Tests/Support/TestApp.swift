import EntativaCore
import EntativaModels
import EntativaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import NIOCore

/// A server built by the real composition root on a fresh database, with a manual clock and a
/// recording mail sender. Background jobs do not run by themselves: tests call `runJobs()`.
public struct TestApp: Sendable {
    public let runtime: EntativaRuntime
    public let mail: RecordingMailSender
    public let clock: ManualWallClock

    public var kernel: Kernel { runtime.kernel }

    public static func baseConfig(directory: String) -> EntativaConfig {
        var config = EntativaConfig()
        config.dataDirectory = directory
        config.port = 0
        config.jobWorkers = 0
        // Dozens of apps run at once in one test process; each needs only a few, but the
        // concurrent-login tests queue 30–40 requests on one app, and with 2 per loop a busy
        // machine let some wait past the pool's 10 s.
        config.databaseConnectionsPerLoop = 4
        // bcrypt's cost only changes speed; one test checks the production default separately.
        config.identity.bcryptCost = 4
        config.identity.registrationsPerIP = 10_000
        config.limits.requestBurst = 100_000
        return config
    }

    static func build(
        config: EntativaConfig, clock: ManualWallClock = ManualWallClock(Date()), mail: RecordingMailSender = RecordingMailSender()
    ) async throws -> EntativaRuntime {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return try await buildApplication(config: config, clock: clock, mailSender: mail, logger: logger)
    }

    /// Builds an app on a fresh database, runs `body` against it in memory, then drops the database.
    public static func run(
        platform: Platform = .entativa, testMode: TestingSetup = .router, configure: (inout EntativaConfig) -> Void = { _ in },
        _ body: @Sendable (TestApp, TestAPI) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "entativa-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await TestDatabase.make(directory: directory)
        var config = baseConfig(directory: directory)
        config.platform = platform
        config.databaseURL = database.url
        configure(&config)
        let clock = ManualWallClock(Date())
        let mail = RecordingMailSender()
        let runtime = try await build(config: config, clock: clock, mail: mail)
        let app = TestApp(runtime: runtime, mail: mail, clock: clock)
        do {
            try await runtime.application.test(testMode) { client in try await body(app, TestAPI(client: client)) }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    /// Moves outbox events into jobs and runs every due job, as the background worker would.
    public func runJobs() async throws {
        repeat {
            try await kernel.events.dispatchPending()
            try await kernel.jobs.drain()
        } while try await kernel.events.dispatchPending() > 0
    }
}

public struct TestResponse: Sendable {
    public let status: Int
    public let headers: HTTPFields
    public let body: Data

    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try EntativaJSON.decoder().decode(type, from: body)
    }

    public var problem: Problem? { try? decode(Problem.self) }
    public var text: String { String(decoding: body, as: UTF8.self) }
    public var fieldErrors: [String] { (problem?.errors ?? []).map(\.field) }
}

/// One helper per verb, JSON in and out, with the conventions of the API.
public struct TestAPI: Sendable {
    let client: any TestClientProtocol

    /// Wraps a client of `application.test`, for tests that drive an app they built themselves.
    public static func wrapping(_ client: any TestClientProtocol) -> TestAPI { TestAPI(client: client) }

    /// The port of a live test server (`testMode: .live`); nil in router mode.
    public var port: Int? { client.port }

    public func request(
        _ method: HTTPRequest.Method, _ path: String, json: (any Encodable & Sendable)? = nil, raw: String? = nil,
        token: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try EntativaJSON.encoder().encode(json))
            headers[.contentType] = "application/json"
        } else if let raw {
            body = ByteBuffer(string: raw)
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: response.body))
        }
    }

    public func get(_ path: String, token: String? = nil) async throws -> TestResponse {
        try await request(.get, path, token: token)
    }

    public func post(_ path: String, _ json: (any Encodable & Sendable)? = nil, token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await request(.post, path, json: json, token: token, headers: headers)
    }

    public func put(_ path: String, _ json: any Encodable & Sendable, token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await request(.put, path, json: json, token: token, headers: headers)
    }

    public func patch(_ path: String, _ json: any Encodable & Sendable, token: String? = nil) async throws -> TestResponse {
        try await request(.patch, path, json: json, token: token)
    }

    public func delete(_ path: String, _ json: (any Encodable & Sendable)? = nil, token: String? = nil) async throws -> TestResponse {
        try await request(.delete, path, json: json, token: token)
    }

    public static let defaultPassword = "a perfectly fine passphrase"

    /// Signs `username` in with the default password; fails the test on anything but 200.
    public func login(username: String) async throws -> AuthTokens {
        let response = try await post("/api/v1/auth/login", LoginRequest(login: username, password: TestAPI.defaultPassword))
        guard response.status == 200 else { throw TestFailure("login: \(response.status) \(response.text)") }
        return try response.decode(AuthTokens.self)
    }

    /// Registers `username` and answers its tokens; fails the test on anything but 201.
    @discardableResult
    public func register(_ username: String, password: String = defaultPassword, device: String? = nil) async throws -> AuthTokens {
        let response = try await post(
            "/api/v1/auth/register",
            RegisterRequest(username: username, email: "\(username)@example.com", password: password, deviceName: device))
        guard response.status == 201 else { throw TestFailure("register \(username): \(response.status) \(response.text)") }
        return try response.decode(AuthTokens.self)
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TestApp {
    /// An administrator made as an operator makes one (`entativa admin create`), signed in.
    public func signedInAdmin(_ api: TestAPI) async throws -> AuthTokens {
        _ = try await Registration(env: runtime.identity.env)
            .createByOperator(username: "root_admin", email: "root@example.com", password: TestAPI.defaultPassword, role: .admin)
        return try await api.login(username: "root_admin")
    }

    /// Builds an app on an existing database without running it, as a restarted process would.
    public static func open(directory: String, databaseURL: String?) async throws -> TestApp {
        var config = baseConfig(directory: directory)
        config.databaseURL = databaseURL
        let clock = ManualWallClock(Date())
        let mail = RecordingMailSender()
        return TestApp(runtime: try await build(config: config, clock: clock, mail: mail), mail: mail, clock: clock)
    }

    /// Two live instances sharing one PostgreSQL database, each with its cache listener
    /// connected; does nothing on SQLite, whose file has one process.
    public static func twoInstances(_ body: @Sendable (TestAPI, TestAPI) async throws -> Void) async throws {
        guard TestDatabase.postgresURL != nil else { return }
        let directory = NSTemporaryDirectory() + "entativa-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await TestDatabase.shared(directory: directory)
        defer { Task { await database.drop() } }
        let first = try await TestApp.open(directory: directory, databaseURL: database.url)
        let second = try await TestApp.open(directory: directory, databaseURL: database.url)
        try await first.runtime.application.test(.live) { firstClient in
            try await second.runtime.application.test(.live) { secondClient in
                try await first.waitForCacheListener()
                try await second.waitForCacheListener()
                try await body(TestAPI.wrapping(firstClient), TestAPI.wrapping(secondClient))
            }
        }
    }

    /// Live mode runs the services, so on PostgreSQL the cache listener connects; until it has,
    /// caches serve nothing. A readiness wait, not a timing: a full parallel run on two cores has
    /// taken more than 10 s to open the listener's connection.
    public func waitForCacheListener() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !kernel.database.invalidation.isLive {
            guard ContinuousClock.now < deadline else { throw TestFailure("the cache listener did not connect") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until a live server has stopped making statements (what its services do in the
    /// background), so that a test counts only the statements of what it does next.
    public func waitUntilQuiet() async throws {
        var last = kernel.database.statementsExecuted
        for _ in 0..<50 {
            try await Task.sleep(for: .milliseconds(200))
            let now = kernel.database.statementsExecuted
            if now == last { return }
            last = now
        }
    }
}

extension TestDatabase {
    /// A database that outlives one app, for restart tests; `drop` removes it.
    public static func shared(directory: String) async throws -> (url: String?, drop: @Sendable () async -> Void) {
        try await make(directory: directory)
    }
}

extension TestAPI {
    /// `POST /api/v1/media` with `data` as the `file` part of a multipart form.
    /// `uploadMedia` with an `Idempotency-Key`; every call picks a new multipart boundary, as clients do.
    public func uploadMediaWithKey(_ data: Data, token: String, key: String) async throws -> TestResponse {
        try await uploadMedia(data, token: token, extraHeaders: [.idempotencyKey: key])
    }

    public func uploadMedia(
        _ data: Data, filename: String = "upload.bin", token: String?, fields: [String: String] = [:], extraHeaders: HTTPFields = [:]
    ) async throws -> TestResponse {
        let boundary = "entativa-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        for field in extraHeaders { headers.append(field) }
        return try await client.execute(uri: "/api/v1/media", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Any request with raw bytes and headers, for tus and file routes.
    public func raw(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: Data? = nil) async throws -> TestResponse {
        try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: response.body))
        }
    }
}
