/// OpenAPI links from each operation that answers a resource with an `id` to the operations
/// that take that ID in their path: `POST /api/v1/posts` answers a Post, whose `id` is what
/// `GET /api/v1/posts/{id}`, `DELETE …`, `POST …/{id}/reactions` and the rest take. A client
/// generator or a stateful tester (schemathesis) follows them. Derived from the paths, so a new
/// route gets its links by being where its resource is.
enum OpenAPILinks {
    typealias Paths = [(path: String, operations: [(method: String, operation: JSONValue)])]

    /// `paths` with a `links` object on every success response that has some.
    static func add(to paths: Paths, schemas: [(String, JSONValue)]) -> Paths {
        let identified = Set(schemas.compactMap { name, schema in schema["properties"]?["id"] != nil ? name : nil })
        let targets = paths.flatMap { path in path.operations.map { (path: path.path, method: $0.method, operation: $0.operation) } }
        // Where each resource lives: the collection of the `GET <collection>/{id}` that answers it.
        var homes: [String: [String]] = [:]
        for target in targets where target.method == "get" {
            let segments = target.path.split(separator: "/").map(String.init)
            guard let last = segments.last, isParameter(last), isIDParameter(name(last)), let (_, schema) = successSchema(of: target.operation) else { continue }
            homes[schema] = homes[schema] ?? Array(segments.dropLast())
        }
        return paths.map { path in
            (path.path, path.operations.map { method, operation in
                guard let (status, schema) = successSchema(of: operation), identified.contains(schema) else { return (method, operation) }
                let others = targets.filter { !($0.path == path.path && $0.method == method) }
                let links = self.links(from: path.path, answering: schema, home: homes[schema], to: others)
                guard !links.isEmpty, var responses = operation["responses"], var success = responses[status] else { return (method, operation) }
                success.set("links", .object(links))
                responses.set(status, success)
                var linked = operation
                linked.set("responses", responses)
                return (method, linked)
            })
        }
    }

    /// The operations under the resource's collection (its home, else the source's own path)
    /// that take its ID as the path parameter right after the collection, with the other path
    /// parameters they share taken from the source's request.
    static func links(
        from source: String, answering schema: String, home: [String]?, to targets: [(path: String, method: String, operation: JSONValue)]
    ) -> [(String, JSONValue)] {
        let segments = source.split(separator: "/").map(String.init)
        let collection = home ?? (isParameter(segments.last ?? "") ? Array(segments.dropLast()) : segments)
        let known = Set(segments.filter(isParameter).map(name))
        return targets.compactMap { target -> (String, JSONValue)? in
            let parts = target.path.split(separator: "/").map(String.init)
            guard parts.count > collection.count, Array(parts.prefix(collection.count)) == collection, isParameter(parts[collection.count]),
                case .string(let operationID)? = target.operation["operationId"]
            else { return nil }
            let idParameter = name(parts[collection.count])
            // `{id}`, or `{account_id}` for an Account: never a Conversation's ID for an account.
            guard idParameter == "id" || (home != nil && isIDParameter(idParameter))
                || (idParameter.hasSuffix("_id") && schema.lowercased().hasPrefix(idParameter.dropLast(3).replacingOccurrences(of: "_", with: "")))
            else { return nil }
            var parameters: [(String, JSONValue)] = [(idParameter, "$response.body#/id")]
            for other in parts.filter(isParameter).map(name) where other != idParameter {
                // A parameter the source's request does not name cannot be filled in.
                guard known.contains(other) else { return nil }
                parameters.append((other, .string("$request.path.\(other)")))
            }
            return (operationID, ["operationId": .string(operationID), "parameters": .object(parameters)])
        }
    }

    static func isIDParameter(_ name: String) -> Bool { name == "id" || name.hasSuffix("_id") }

    /// The success status and the name of the schema it answers, when it answers a `$ref`.
    static func successSchema(of operation: JSONValue) -> (String, String)? {
        guard case .object(let responses)? = operation["responses"] else { return nil }
        for (status, response) in responses where status.hasPrefix("2") {
            guard case .object(let contents)? = response["content"] else { continue }
            for (_, content) in contents {
                if case .string(let reference)? = content["schema"]?["$ref"], let name = reference.split(separator: "/").last {
                    return (status, String(name))
                }
            }
        }
        return nil
    }

    static func isParameter(_ segment: String) -> Bool { segment.hasPrefix("{") && segment.hasSuffix("}") }
    static func name(_ segment: String) -> String { String(segment.dropFirst().dropLast()) }
}
