import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("API contract")
struct ContractTests {
    @Test("A known path with an unknown method answers 405 with Allow, as a problem document")
    func methodNotAllowed() async throws {
        try await TestApp.run { _, api in
            let answer = try await api.request(.delete, "/api/v1/instance")
            #expect(answer.status == 405)
            #expect(answer.headers[.allow] == "GET")
            #expect(answer.headers[.contentType] == "application/problem+json")
            let templated = try await api.request(.put, "/api/v1/posts/123")
            #expect(templated.status == 405)
            #expect(templated.headers[.allow]?.contains("PATCH") == true)
            #expect(try await api.get("/api/v1/no-such-thing").status == 404)
        }
    }

    @Test("An unknown enum value answers 422 listing the allowed values, never Swift's words")
    func enumValues() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let post = try await api.post("/api/v1/posts", CreatePostRequest(text: "hello"), token: alice.accessToken).decode(Post.self)
            let answer = try await api.request(.put, "/api/v1/posts/\(post.id)/reaction", raw: #"{"kind":"adore"}"#, token: alice.accessToken)
            #expect(answer.status == 422)
            #expect(answer.text.contains("must be one of: like, love, haha, wow, sad, angry"))
            #expect(!answer.text.contains("Cannot initialize"))
            #expect(!answer.text.contains("ReactionKind"))
        }
    }

    @Test("Operations that answer a resource link to the operations that take its ID, and every link resolves")
    func links() async throws {
        try await TestApp.run { _, api in
            let document = try JSONSerialization.jsonObject(with: try await api.get("/openapi.json").body) as? [String: Any] ?? [:]
            let paths = document["paths"] as? [String: [String: [String: Any]]] ?? [:]
            var operations: [String: (path: String, parameters: Set<String>)] = [:]
            for (path, methods) in paths {
                for (_, operation) in methods {
                    guard let id = operation["operationId"] as? String else { continue }
                    operations[id] = (path, Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }))
                }
            }
            var linksFrom: [String: [String: [String: String]]] = [:]
            for (path, methods) in paths {
                for (_, operation) in methods {
                    let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                    for (_, response) in responses {
                        for (name, link) in response["links"] as? [String: [String: Any]] ?? [:] {
                            let target = try #require(operations[link["operationId"] as? String ?? ""], "link \(name) of \(path) names no operation")
                            let parameters = link["parameters"] as? [String: String] ?? [:]
                            #expect(Set(parameters.keys) == target.parameters, "link \(name) of \(path) fills \(parameters.keys.sorted())")
                            for value in parameters.values where value.hasPrefix("$request.path.") {
                                #expect(path.contains("{\(value.dropFirst("$request.path.".count))}"), "link \(name) of \(path) reads \(value)")
                            }
                            linksFrom[operation["operationId"] as? String ?? "", default: [:]][name] = parameters
                        }
                    }
                }
            }
            #expect(linksFrom["createPost"]?["getPost"] == ["id": "$response.body#/id"])
            #expect(linksFrom["createPost"]?["deletePost"] == ["id": "$response.body#/id"])
            #expect(linksFrom["createConversation"]?["sendGroupMessage"] == ["id": "$response.body#/id"])
            #expect(linksFrom["uploadMedia"]?["getMedia"] == ["id": "$response.body#/id"])
            // A comment made under a post links to where comments live.
            #expect(linksFrom["createComment"]?["getComment"] == ["id": "$response.body#/id"])
            // A conversation's ID is never offered as a member's account ID.
            #expect(linksFrom["addConversationMembers"]?.keys.contains("removeConversationMember") != true)
            #expect(linksFrom.count > 20)
        }
    }

    @Test("Each network's document lists exactly its routes: no friendships on Vignette")
    func documentPerPlatform() async throws {
        try await TestApp.run(platform: .vignette) { _, api in
            let alice = try await api.register("alice")
            let document = try await api.get("/openapi.json").text
            #expect(!document.contains("/api/v1/friend-requests"))
            #expect(!document.contains("/friends"))
            #expect(try await api.post("/api/v1/friend-requests", SendFriendRequest(accountId: alice.account.id), token: alice.accessToken).status == 404)
        }
        try await TestApp.run(platform: .entativa) { _, api in
            let document = try await api.get("/openapi.json").text
            #expect(document.contains("/api/v1/friend-requests"))
        }
    }

    @Test("The instance names itself after its network unless configured, and publishes every limit", arguments: Platform.allCases)
    func instance(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { app, api in
            let info = try await api.get("/api/v1/instance").decode(InstanceInfo.self)
            #expect(info.name == platform.displayName)
            let limits = app.kernel.config.limits
            let graph = app.runtime.graph.env.settings
            let modules = [
                app.runtime.identity.env.settings.publicLimits, app.runtime.media.env.settings.publicLimits, graph.publicLimits,
                app.runtime.messaging.env.settings.publicLimits, app.runtime.stories.env.settings.publicLimits, app.runtime.takes.env.settings.publicLimits,
                app.runtime.search.env.settings.publicLimits,
            ]
            #expect(info.limits.count == modules.reduce(limits.publicSummary.count) { $0 + $1.count })
            #expect(info.limits["sockets_per_account"] == Double(limits.socketsPerAccount))
            #expect(info.limits["requests_per_second"] == limits.requestsPerSecond)
            #expect(info.limits["messaging_max_devices"] == 5)
            #expect(info.limits["max_friends"] == Double(graph.maxFriends))
            #expect(info.limits["max_live_stories"] == 100)
            #expect(info.limits["uploads_per_hour"] == Double(app.runtime.media.env.settings.uploadsPerHour))
            #expect(info.limits.count >= 30)
        }
        try await TestApp.run(platform: platform, configure: { $0.customInstanceName = "Lakeside" }) { _, api in
            let info = try await api.get("/api/v1/instance").decode(InstanceInfo.self)
            #expect(info.name == "Lakeside")
        }
    }

    @Test("Operations that honour Idempotency-Key declare it; credential answers never do")
    func idempotencyIsDeclared() async throws {
        try await TestApp.run { _, api in
            let document = try JSONSerialization.jsonObject(with: try await api.get("/openapi.json").body) as? [String: Any] ?? [:]
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            func declares(_ path: String, _ method: String) -> Bool {
                let operation = paths[path]?[method] as? [String: Any] ?? [:]
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                return parameters.contains { $0["name"] as? String == "Idempotency-Key" }
            }
            #expect(declares("/api/v1/posts", "post"))
            #expect(declares("/api/v1/media", "post"))
            #expect(!declares("/api/v1/auth/register", "post"))
            #expect(!declares("/api/v1/auth/login", "post"))
            #expect(!declares("/api/v1/auth/refresh", "post"))
            #expect(!declares("/api/v1/auth/totp", "post"))
        }
    }

    @Test("Expired idempotency keys are purged by the scheduled job")
    func idempotencyPurge() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let answer = try await api.post("/api/v1/posts", CreatePostRequest(text: "once"), token: alice.accessToken, headers: [.idempotencyKey: "k1"])
            #expect(answer.status == 201)
            func count() async throws -> Int {
                try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM idempotency_keys").first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await count() == 1)
            try await app.kernel.idempotency.purge()
            #expect(try await count() == 1, "still fresh")
            app.clock.advance(by: .seconds(25 * 3600))
            try await app.kernel.idempotency.purge()
            #expect(try await count() == 0)
        }
    }
}
