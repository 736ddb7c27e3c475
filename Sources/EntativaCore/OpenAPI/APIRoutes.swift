import HTTPTypes
import EntativaModels
import Hummingbird

/// Adds a route to the router and its contract to the OpenAPI document in one call.
/// Paths are written the OpenAPI way (`/api/v1/accounts/{id}`).
public struct APIRoutes<Context: AppContextProtocol> {
    let group: RouterGroup<Context>
    public let document: OpenAPIDocument
    let access: APIOperation.Access
    let idempotency: IdempotencyKeys

    public init(group: RouterGroup<Context>, document: OpenAPIDocument, access: APIOperation.Access, idempotency: IdempotencyKeys) {
        self.group = group
        self.document = document
        self.access = access
        self.idempotency = idempotency
    }

    public func add(
        _ method: HTTPRequest.Method, _ path: String, _ operation: APIOperation,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) {
        var operation = operation
        operation.access = access
        document.add(method: method.rawValue.lowercased(), path: path, operation)
        let routerPath = path.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
        guard let fingerprint = operation.idempotency else {
            group.on(RouterPath(routerPath), method: method, use: handler)
            return
        }
        let idempotency = self.idempotency
        group.on(RouterPath(routerPath), method: method) { request, context in
            try await idempotency.handle(request, context: context, fingerprint: fingerprint) { request, context in
                try await handler(request, context).response(from: request, context: context)
            }
        }
    }
}

extension Parameters {
    /// A path parameter as a typed ID; a malformed one is a 404, as it can name nothing.
    public func id<Entity>(_ name: String, as: Identifier<Entity>.Type = Identifier<Entity>.self) throws -> Identifier<Entity> {
        guard let text = self.get(name), let id = Identifier<Entity>(text) else { throw AppError.notFound() }
        return id
    }
}
