import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

/// Decision 0012: every list answers the page envelope `{items, next_cursor}`, never a bare array.
@Suite("API contract: one list envelope")
struct ListEnvelopeTests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any], "\(response.status) \(response.text)")
    }

    @Test("No operation in the document answers a bare array; every list schema is the page envelope", arguments: Platform.allCases)
    func document(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { _, api in
            let document = try Self.json(try await api.get("/openapi.json"))
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func resolve(_ schema: [String: Any]) -> [String: Any] {
                guard let ref = schema["$ref"] as? String else { return schema }
                return schemas[String(ref.split(separator: "/").last ?? "")] ?? [:]
            }
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            var checked = 0
            for (path, operations) in paths {
                for (method, operation) in operations {
                    let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                    for (status, response) in responses where status.hasPrefix("2") {
                        let content = response["content"] as? [String: [String: Any]] ?? [:]
                        guard let schema = content["application/json"]?["schema"] as? [String: Any] else { continue }
                        let resolved = resolve(schema)
                        #expect(resolved["type"] as? String != "array", "\(method) \(path) answers a bare array")
                        checked += 1
                    }
                }
            }
            #expect(checked > 50)
            for (name, schema) in schemas where name.hasSuffix("List") || name.hasSuffix("Page") {
                guard name != "NotificationListPage" else { continue }  // anyOf two pages
                let properties = schema["properties"] as? [String: Any] ?? [:]
                #expect(Set(properties.keys) == ["items", "next_cursor"], "\(name)")
                #expect(Set(schema["required"] as? [String] ?? []) == ["items", "next_cursor"], "\(name)")
            }
            for name in ["RelationshipPage", "PushDevicePage", "NotificationTypePage", "PostRevisionPage"] {
                #expect(schemas[name] != nil, "\(name)")
            }
        }
    }

    @Test("Relationships, push devices and notification types answer complete pages", arguments: Platform.allCases)
    func completeLists(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            for path in [
                "/api/v1/accounts/relationships?id[]=\(bob.account.id)&id[]=\(ada.account.id)", "/api/v1/push/devices",
                "/api/v1/notifications/types",
            ] {
                let page = try Self.json(try await api.get(path, token: ada.accessToken))
                #expect(page["items"] is [Any], "\(path)")
                #expect(page["next_cursor"] is NSNull, "\(path): next_cursor is present and null")
            }
            let relationships = try await api.get("/api/v1/accounts/relationships?id[]=\(bob.account.id)", token: ada.accessToken)
            #expect(relationships.headers[.init("Link")!] == nil)
            #expect(try relationships.decode(Page<Relationship>.self).items.map(\.id) == [bob.account.id])
            let types = try await api.get("/api/v1/notifications/types", token: ada.accessToken).decode(Page<NotificationTypeInfo>.self)
            #expect(types.items.contains { $0.name == "follow" } && types.nextCursor == nil)
        }
    }

    @Test("A post's history is a complete page, current version first")
    func history() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let post = try await api.post("/api/v1/posts", CreatePostRequest(text: "first"), token: ada.accessToken).decode(Post.self)
            _ = try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(text: "second"), token: ada.accessToken)
            let raw = try Self.json(try await api.get("/api/v1/posts/\(post.id)/history"))
            #expect(raw["next_cursor"] is NSNull)
            let page = try await api.get("/api/v1/posts/\(post.id)/history").decode(Page<PostRevision>.self)
            #expect(page.items.map(\.text) == ["second", "first"])
        }
    }
}
