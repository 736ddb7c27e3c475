import EntativaCore
import Foundation
import Logging

/// A fresh, migrated database for each test, copied from a template migrated once per test
/// process: a SQLite file in the test's directory or, when `TEST_DATABASE_URL` names a
/// PostgreSQL server, a database made with `CREATE DATABASE … TEMPLATE`. Migrating hundreds of
/// databases would cost more than the tests that use them.
public enum TestDatabase {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var engineName: String { postgresURL == nil ? "sqlite" : "postgres" }

    /// A database URL for one test (nil means SQLite under `directory`) and how to drop it.
    static func make(directory: String) async throws -> (url: String?, drop: @Sendable () async -> Void) {
        guard let adminURL = postgresURL else {
            let template = try await SQLiteTemplate.shared.path()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: template, toPath: TestApp.baseConfig(directory: directory).sqlitePath)
            return (nil, {})
        }
        let template = try await Template.shared.name(adminURL: adminURL)
        let name = "entativa_test_\(UInt64.random(in: 0 ... .max))"
        try await withAdmin(adminURL) { admin in
            // Two copies of one template at once can collide on its lock; the loser waits and retries.
            // FILE_COPY: with fsync off, copying the files beats logging every page (0.15 s
            // against 0.23 s a database), and hundreds of tests queue on these copies.
            for attempt in 1...20 {
                do {
                    _ = try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: template) STRATEGY FILE_COPY").all()
                    return
                } catch where attempt < 20 {
                    try await Task.sleep(for: .milliseconds(100 * attempt))
                }
            }
        }
        let url = replacingDatabase(in: adminURL, with: name)
        return (url, {
            try? await withAdmin(adminURL) { admin in
                _ = try await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").all()
            }
        })
    }

    static func withAdmin(_ url: String, _ body: (AppDatabase) async throws -> Void) async throws {
        let admin = try await AppDatabase.open(url: url, sqlitePath: "", logger: Logger(label: "test-admin"), connectionsPerLoop: 1)
        do {
            try await body(admin)
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }

    /// Migrates one template database per test process.
    actor Template {
        static let shared = Template()
        private var creation: Task<String, any Error>?

        func name(adminURL: String) async throws -> String {
            if let creation { return try await creation.value }
            let task = Task<String, any Error> {
                let name = "entativa_template_\(UInt64.random(in: 0 ... .max))"
                try await TestDatabase.withAdmin(adminURL) { admin in
                    _ = try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").all()
                }
                var config = TestApp.baseConfig(directory: NSTemporaryDirectory())
                config.databaseURL = TestDatabase.replacingDatabase(in: adminURL, with: name)
                let runtime = try await TestApp.build(config: config)
                await runtime.kernel.database.shutdown()
                return name
            }
            creation = task
            return try await task.value
        }
    }

    /// The SQLite file every test copies; closed cleanly, so its WAL is folded into it.
    actor SQLiteTemplate {
        static let shared = SQLiteTemplate()
        private var creation: Task<String, any Error>?

        func path() async throws -> String {
            if let creation { return try await creation.value }
            let task = Task<String, any Error> {
                let directory = NSTemporaryDirectory() + "entativa-template-\(UUID().uuidString)"
                let config = TestApp.baseConfig(directory: directory)
                let runtime = try await TestApp.build(config: config)
                await runtime.kernel.database.shutdown()
                return config.sqlitePath
            }
            creation = task
            return try await task.value
        }
    }
}
