import Foundation
import Synchronization

public struct QueryParameter: Sendable {
    public var name: String
    public var schema: JSONValue
    public var required: Bool
    public var description: String

    public init(_ name: String, _ schema: JSONValue, required: Bool = false, description: String) {
        self.name = name
        self.schema = schema
        self.required = required
        self.description = description
    }

    public static let cursor = QueryParameter("cursor", Schema.string(maxLength: 64), description: "`next_cursor` of the previous page")
    public static let limit = QueryParameter("limit", Schema.integer(minimum: 1, maximum: 100), description: "Page size, 1–100 (default 20)")
}

/// The contract of one route: what it takes, what it answers, and who may call it.
public struct APIOperation: Sendable {
    public enum Access: Sendable {
        case anyone
        case signedIn
    }

    public var id: String
    public var summary: String
    public var tag: String
    public var access: Access
    /// Component schema of the JSON body, if the route takes one.
    public var body: String?
    public var status: Int
    /// Component schema of the answer; `nil` for an empty one.
    public var response: String?
    /// Error statuses beyond the ones every route can answer (400, 401, 429).
    public var errors: [Int]
    public var query: [QueryParameter]
    public var description: String?
    /// The media type of the body; JSON unless a route takes files or tus chunks.
    public var bodyContentType = "application/json"
    /// The media type of the answer, for routes that do not answer JSON.
    public var responseContentType = "application/json"
    /// Headers the route reads, as (name, required, description).
    public var headers: [(String, Bool, String)] = []
    /// Headers the success answer carries, as (name, description).
    public var responseHeaders: [(String, String)] = []
    /// False for routes whose body may be empty.
    public var requiresBody = true
    /// Schemas of path parameters that are neither IDs nor free strings (a signed URL's expiry).
    public var pathSchemas: [String: JSONValue] = [:]
    /// True for pages a person reads: a refusal may come as an HTML page instead of a problem.
    public var errorsMayBeHTML = false
    /// Set on creating operations that honour `Idempotency-Key` (never on one whose answer
    /// carries a credential: the answer is stored for replay).
    public var idempotency: IdempotencyKeys.Fingerprint?

    public init(
        _ id: String, _ summary: String, tag: String, access: Access, body: String? = nil, status: Int = 200,
        response: String? = nil, errors: [Int] = [], query: [QueryParameter] = [], description: String? = nil
    ) {
        self.id = id
        self.summary = summary
        self.tag = tag
        self.access = access
        self.body = body
        self.status = status
        self.response = response
        self.errors = errors
        self.query = query
        self.description = description
    }
}

extension APIOperation {
    /// The same operation with a body the client may leave out.
    public func withOptionalBody() -> APIOperation {
        var operation = self
        operation.requiresBody = false
        return operation
    }

    /// The same operation, honouring `Idempotency-Key`.
    public func idempotent(_ fingerprint: IdempotencyKeys.Fingerprint = .body) -> APIOperation {
        var operation = self
        operation.idempotency = fingerprint
        return operation
    }
}

/// The OpenAPI 3.1 document served at `/openapi.json`. Routes are added to it by the same call
/// that adds them to the router (`APIRoutes`), so the document cannot forget a route.
public final class OpenAPIDocument: Sendable {
    struct State {
        var paths: [(path: String, operations: [(method: String, operation: JSONValue)])] = []
        var schemas: [(String, JSONValue)] = []
        var operationIDs: Set<String> = []
    }

    private let state = Mutex(State())
    let title: String
    let version: String

    public init(title: String, version: String) {
        self.title = title
        self.version = version
        addSchema("Problem", Self.problemSchema)
    }

    public func addSchema(_ name: String, _ schema: JSONValue) {
        state.withLock { state in
            if let index = state.schemas.firstIndex(where: { $0.0 == name }) {
                state.schemas[index].1 = schema
            } else {
                state.schemas.append((name, schema))
            }
        }
    }

    public func add(method: String, path: String, _ operation: APIOperation) {
        let entry = Self.render(method: method, path: path, operation)
        state.withLock { state in
            precondition(state.operationIDs.insert(operation.id).inserted, "duplicate operationId \(operation.id)")
            if let index = state.paths.firstIndex(where: { $0.path == path }) {
                state.paths[index].operations.append((method, entry))
            } else {
                state.paths.append((path, [(method, entry)]))
            }
        }
    }

    /// The methods of the documented path that `path` (a request's) fits, upper-case; empty when
    /// no documented path fits. A 405 answer lists them in `Allow`.
    public func methods(serving path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return state.withLock { state in
            state.paths.filter { entry in
                let template = entry.path.split(separator: "/", omittingEmptySubsequences: false)
                return template.count == parts.count
                    && zip(template, parts).allSatisfy { pattern, part in
                        (pattern.hasPrefix("{") && pattern.hasSuffix("}") && !part.isEmpty) || pattern == part
                    }
            }.flatMap { $0.operations.map { $0.method.uppercased() } }
        }
    }

    /// Every (method, path) pair in the document, for the test that compares it with the router.
    public var routes: [(method: String, path: String)] {
        state.withLock { state in state.paths.flatMap { path in path.operations.map { ($0.method, path.path) } } }
    }

    public var json: JSONValue {
        state.withLock { state in
            [
                "openapi": "3.1.0",
                "info": [
                    "title": .string(title), "version": .string(version),
                    "description": "The native API of an Entativa server. Errors are RFC 9457 problem documents.",
                ],
                "servers": [["url": "/"]],
                "paths": .object(
                    OpenAPILinks.add(to: state.paths, schemas: state.schemas).map { path in
                        (path.path, .object(path.operations.map { ($0.method, $0.operation) }))
                    }),
                "components": [
                    "schemas": .object(state.schemas),
                    "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                ],
            ]
        }
    }

    public func encoded() throws -> Data {
        Data(json.serialized().utf8)
    }

    /// A path parameter's schema: IDs by name (`id`, `…_id`), any other segment a bounded string
    /// unless the operation says more (`APIOperation.pathSchemas`).
    static func pathSchema(_ name: String) -> JSONValue {
        name == "id" || name.hasSuffix("_id") ? Schema.id : Schema.string(minLength: 1, maxLength: 200)
    }

    static func render(method: String, path: String, _ operation: APIOperation) -> JSONValue {
        var entry: JSONValue = [
            "operationId": .string(operation.id), "summary": .string(operation.summary), "tags": [.string(operation.tag)],
        ]
        if let description = operation.description { entry.set("description", .string(description)) }
        var parameters: [JSONValue] = pathParameters(path).map { name in
            ["name": .string(name), "in": "path", "required": true, "schema": operation.pathSchemas[name] ?? Self.pathSchema(name)]
        }
        parameters += operation.headers.map { header in
            ["name": .string(header.0), "in": "header", "required": .bool(header.1), "schema": Schema.string(), "description": .string(header.2)]
        }
        if operation.idempotency != nil {
            parameters.append([
                "name": "Idempotency-Key", "in": "header", "required": false,
                "schema": ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"],
                "description": "Makes a retry safe: a second request with this key and the same request gets the first answer (kept 24 hours).",
            ])
        }
        parameters += operation.query.map { query in
            [
                "name": .string(query.name), "in": "query", "required": .bool(query.required), "schema": query.schema,
                "description": .string(query.description),
            ]
        }
        if !parameters.isEmpty { entry.set("parameters", .array(parameters)) }
        if let body = operation.body {
            entry.set(
                "requestBody",
                ["required": .bool(operation.requiresBody), "content": .object([(operation.bodyContentType, JSONValue.object([("schema", Schema.ref(body))]))])])
        }
        if operation.access == .signedIn { entry.set("security", [["bearer": []]]) }

        var responses: [(String, JSONValue)] = []
        var success: JSONValue = ["description": "Success"]
        if let response = operation.response {
            success.set("content", .object([(operation.responseContentType, JSONValue.object([("schema", Schema.ref(response))]))]))
        }
        if !operation.responseHeaders.isEmpty {
            success.set(
                "headers",
                .object(operation.responseHeaders.map { ($0.0, ["description": .string($0.1), "schema": Schema.string()]) }))
        }
        responses.append((String(operation.status), success))
        var errors = Set([400, 401, 429]).union(operation.errors)
        if operation.body != nil { errors.formUnion([413, 415, 422]) }
        // Problems answering these statuses come from the operation's own list.
        errors.subtract(operation.status == 200 ? [] : [operation.status])
        if !operation.query.isEmpty { errors.insert(422) }
        if !pathParameters(path).isEmpty { errors.insert(404) }
        // A key reused for another request (422) or whose first request still runs (409).
        if operation.idempotency != nil { errors.formUnion([409, 422]) }
        for status in errors.sorted() {
            var response: JSONValue = [
                "description": .string(Self.describe(status)),
                "content": operation.errorsMayBeHTML
                    ? ["application/problem+json": ["schema": Schema.ref("Problem")], "text/html": ["schema": ["type": "string"]]]
                    : ["application/problem+json": ["schema": Schema.ref("Problem")]],
            ]
            if status == 429 || status == 409 {
                response.set("headers", ["Retry-After": ["description": "Seconds to wait", "schema": Schema.integer(minimum: 1)]])
            }
            responses.append((String(status), response))
        }
        entry.set("responses", .object(responses))
        return entry
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    static func describe(_ status: Int) -> String {
        switch status {
        case 400: "Malformed request"
        case 401: "Missing, invalid or expired access token"
        case 403: "Not allowed for this account"
        case 404: "Not found, or not visible to the caller"
        case 409: "Conflicts with the current state"
        case 413: "Body too large"
        case 415: "Body is not JSON"
        case 410: "Gone"
        case 412: "Precondition failed"
        case 416: "Range not satisfiable"
        case 422: "Invalid fields; see `errors`"
        case 426: "Not a WebSocket upgrade"
        case 429: "Rate limited; see Retry-After"
        default: "Error"
        }
    }

    static let problemSchema = Schema.object(
        [
            "type": Schema.string(), "title": Schema.string(), "status": Schema.integer(),
            "detail": Schema.string(), "request_id": Schema.string(),
            "errors": Schema.array(
                Schema.object(
                    ["field": Schema.string(), "code": Schema.string(), "message": Schema.string()],
                    required: ["field", "code", "message"])),
        ], required: ["type", "title", "status"])
}
