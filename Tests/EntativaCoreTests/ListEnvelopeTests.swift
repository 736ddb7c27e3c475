import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

/// Decision 0012 as the document and the server state it: requests addressed by `account_id`,
/// one list envelope `{items, next_cursor}`, accounts with their counts.
@Suite("API contract: route semantics (decision 0012)")
struct ListEnvelopeTests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any], "\(response.status) \(response.text)")
    }

    @Test("The document: no bare arrays, every list a page, request routes take `account_id`, Account requires its counts", arguments: Platform.allCases)
    func document(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { _, api in
            let document = try Self.json(try await api.get("/openapi.json"))
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func resolve(_ schema: [String: Any]) -> [String: Any] {
                guard let ref = schema["$ref"] as? String else { return schema }
                return schemas[String(ref.split(separator: "/").last ?? "")] ?? [:]
            }
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])

            // One envelope: no success answer is an array, and every list schema is the page.
            var checked = 0
            for (path, operations) in paths {
                for (method, operation) in operations {
                    let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                    for (status, response) in responses where status.hasPrefix("2") {
                        let content = response["content"] as? [String: [String: Any]] ?? [:]
                        guard let schema = content["application/json"]?["schema"] as? [String: Any] else { continue }
                        #expect(resolve(schema)["type"] as? String != "array", "\(method) \(path) answers a bare array")
                        checked += 1
                    }
                }
            }
            #expect(checked > 50)
            // The home timeline's page also says how it was ranked (decision 0019); nothing else
            // adds to the envelope.
            let extras: [String: Set<String>] = ["HomePage": ["ranking"]]
            for (name, schema) in schemas where name.hasSuffix("List") || name.hasSuffix("Page") {
                guard name != "NotificationListPage" else { continue }  // anyOf two pages
                let properties = schema["properties"] as? [String: Any] ?? [:]
                let expected = Set(["items", "next_cursor"]).union(extras[name] ?? [])
                #expect(Set(properties.keys) == expected, "\(name)")
                #expect(Set(schema["required"] as? [String] ?? []) == expected, "\(name)")
            }
            for name in ["RelationshipPage", "PushDevicePage", "NotificationTypePage", "PostRevisionPage"] {
                #expect(schemas[name] != nil, "\(name)")
            }

            // Requests are addressed by account; each answer is the relationship.
            var addressed = [("/api/v1/follow-requests/{account_id}/approve", "post"), ("/api/v1/follow-requests/{account_id}/reject", "post")]
            if platform == .entativa {
                addressed += [
                    ("/api/v1/friend-requests/{account_id}/accept", "post"), ("/api/v1/friend-requests/{account_id}/decline", "post"),
                    ("/api/v1/friend-requests/{account_id}", "delete"), ("/api/v1/friends/{account_id}", "delete"),
                ]
                let friendRequest = try #require(schemas["FriendRequest"]?["properties"] as? [String: Any])
                #expect(Set(friendRequest.keys) == ["account", "created_at"])
            }
            for (path, method) in addressed {
                let operation = try #require(paths[path]?[method], "\(method) \(path)")
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                #expect(parameters.contains { $0["name"] as? String == "account_id" && $0["in"] as? String == "path" }, "\(path)")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect("\(responses["200"] ?? "")".contains("#/components/schemas/Relationship"), "\(method) \(path) answers the relationship")
            }
            #expect(!paths.keys.contains { $0.contains("-requests/{id}") })

            // Accounts carry their counts; friends_count only where friendships exist.
            let account = try #require(schemas["Account"])
            let properties = Set((account["properties"] as? [String: Any] ?? [:]).keys)
            let required = Set(account["required"] as? [String] ?? [])
            let counts: Set<String> = ["followers_count", "following_count", "posts_count"]
            #expect(properties.isSuperset(of: counts) && required.isSuperset(of: counts))
            #expect(properties.contains("friends_count") == (platform == .entativa))
            #expect(required.contains("friends_count") == (platform == .entativa))
        }
    }

    @Test("Relationships, push devices, notification types and a post's history answer complete pages", arguments: Platform.allCases)
    func completeLists(platform: Platform) async throws {
        try await TestApp.run(platform: platform) { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            var paths = [
                "/api/v1/accounts/relationships?id[]=\(bob.account.id)&id[]=\(ada.account.id)", "/api/v1/push/devices",
                "/api/v1/notifications/types",
            ]
            if platform == .entativa {
                // Vignette posts need media; the history route is the same on both networks.
                let post = try await api.post("/api/v1/posts", CreatePostRequest(text: "first"), token: ada.accessToken).decode(Post.self)
                _ = try await api.patch("/api/v1/posts/\(post.id)", UpdatePostRequest(text: "second"), token: ada.accessToken)
                let history = try await api.get("/api/v1/posts/\(post.id)/history").decode(Page<PostRevision>.self)
                #expect(history.items.map(\.text) == ["second", "first"])
                paths.append("/api/v1/posts/\(post.id)/history")
            }
            for path in paths {
                let page = try Self.json(try await api.get(path, token: ada.accessToken))
                #expect(page["items"] is [Any], "\(path)")
                #expect(page["next_cursor"] is NSNull, "\(path): next_cursor is present and null")
            }
            let relationships = try await api.get("/api/v1/accounts/relationships?id[]=\(bob.account.id)", token: ada.accessToken)
            #expect(relationships.headers[HTTPField.Name("Link")!] == nil)
            #expect(try relationships.decode(Page<Relationship>.self).items.map(\.id) == [bob.account.id])
            let types = try await api.get("/api/v1/notifications/types", token: ada.accessToken).decode(Page<NotificationTypeInfo>.self)
            #expect(types.items.contains { $0.name == "follow" } && types.nextCursor == nil)
        }
    }
}
