import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Health, metrics, OpenAPI and instance")
struct OperationalTests {
    @Test("Health endpoints answer and readiness checks migrations")
    func health() async throws {
        try await TestApp.run { _, api in
            #expect(try await api.get("/health/live").status == 200)
            // On PostgreSQL readiness also waits for the realtime listener to subscribe.
            var ready = try await api.get("/health/ready")
            for _ in 0..<300 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await api.get("/health/ready")
            }
            #expect(ready.status == 200)
            #expect(ready.text.contains("ready"))
        }
    }

    @Test("Metrics are Prometheus text and count requests by status")
    func metrics() async throws {
        try await TestApp.run { _, api in
            _ = try await api.get("/api/v1/accounts/me")
            let metrics = try await api.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("hb_requests"))
        }
    }

    @Test("Every response carries a request ID, and problems repeat it")
    func requestIDs() async throws {
        try await TestApp.run { _, api in
            let response = try await api.get("/api/v1/accounts/me")
            let id = try #require(response.headers[.requestID])
            #expect(response.problem?.requestId == id)
            let given = try await api.request(.get, "/health/live", headers: [.requestID: "from-proxy-123"])
            #expect(given.headers[.requestID] == "from-proxy-123")
            #expect(try await api.get("/no/such/route").status == 404)
        }
    }

    @Test("The OpenAPI document lists every route and every schema it refers to")
    func openAPI() async throws {
        try await TestApp.run { app, api in
            let response = try await api.get("/openapi.json")
            #expect(response.status == 200)
            let document = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for route in app.kernel.document.routes {
                #expect(paths[route.path]?[route.method] != nil, "\(route.method) \(route.path)")
            }
            #expect(paths.values.reduce(0) { $0 + $1.count } == app.kernel.document.routes.count)
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let references = response.text.matches(of: /#\/components\/schemas\/([A-Za-z]+)/).map { String($0.1) }
            #expect(!references.isEmpty)
            for name in Set(references) { #expect(schemas[name] != nil, "\(name)") }
        }
    }

    @Test("The instance endpoint names the platform", arguments: Platform.allCases)
    func instance(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { _, api in
            let info = try await api.get("/api/v1/instance").decode(InstanceInfo.self)
            #expect(info.platform == platform)
            #expect(info.limits["login_attempts_per_minute"] == 5)
            #expect(info.name == platform.displayName)
        }
    }

    @Test("The general request budget answers 429 with Retry-After when spent")
    func requestBudget() async throws {
        try await TestApp.run(configure: { config in
            config.limits.requestBurst = 3
            config.limits.requestsPerSecond = 0.001
        }) { _, api in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await api.get("/api/v1/instance").status) }
            #expect(statuses == [200, 200, 200, 429])
            #expect(try await api.get("/health/live").status == 200)
        }
    }
}
