import Foundation
import EntativaModels
import Hummingbird

/// Refuses a query string that carries control characters (percent-encoded NUL and the like)
/// before any route reads it, so no handler has to remember to; the JSON body has the same
/// screen in `APIRequestDecoder`.
public struct QueryTextMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // What the screen refuses can only arrive percent-encoded, or raw if a parser let it
        // through; a query with neither (most of them) needs no decoding.
        guard let query = request.uri.query, query.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 < 0x20 || $0 == 0x7F }) else {
            return try await next(request, context)
        }
        for (name, value) in request.decodedQueryItems {
            if let finding = TextScreen.check(name, field: name) ?? TextScreen.check(value, field: name) {
                throw AppError.invalid(field: finding.field, code: finding.code, message: finding.message)
            }
        }
        return try await next(request, context)
    }
}

extension Request {
    /// The query's parameters with names percent-decoded too (Hummingbird decodes only values):
    /// most HTTP clients send `id[]` as `id%5B%5D`.
    public var decodedQueryItems: [(name: String, value: String)] {
        uri.queryParameters.map { (name: String($0.key).removingPercentEncoding ?? String($0.key), value: String($0.value)) }
    }

    /// The account IDs of a repeated `id[]` (as documented and as Mastodon clients send it) or
    /// `id`; 422 for one that is not an ID, and for none at all.
    public func accountIDs() throws -> [AccountID] {
        var ids: [AccountID] = []
        for item in decodedQueryItems where item.name == "id[]" || item.name == "id" {
            guard let id = AccountID(item.value) else { throw AppError.invalid(field: "id[]", code: "invalid", message: "must be account IDs") }
            ids.append(id)
        }
        guard !ids.isEmpty else { throw AppError.invalid(field: "id[]", code: "required", message: "name at least one account") }
        return ids
    }
}
