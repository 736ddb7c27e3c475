import EntativaCore
import EntativaModels
import Foundation
import Hummingbird
import Identity
import SQLKit

/// What the graph use cases share: the kernel and identity's view of accounts.
public final class GraphEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: GraphSettings
    let profiles: Profiles
    let caches: GraphCaches
    /// Filled by higher domains while the application is built.
    public let suggestionBoosts = SuggestionBoosts()

    public init(kernel: Kernel, settings: GraphSettings, identity: IdentityModule) {
        self.kernel = kernel
        self.settings = settings
        profiles = Profiles(env: identity.env)
        caches = GraphCaches(database: kernel.database)
    }

    var now: Int64 { kernel.clock.nowMillis() }
    var database: AppDatabase { kernel.database }

    /// The account `caller` wants to act on: it must exist, be visible, and not be the caller.
    func target(_ id: AccountID, caller: Principal) async throws -> Account {
        guard id != caller.accountID else {
            throw AppError.invalid(field: "id", code: "self", message: "cannot be your own account")
        }
        return try await profiles.account(id, viewer: caller, counts: false)
    }
}

/// A page of edge lists, read from `cursor` and `limit` like every list.
struct EdgePageRequest: Sendable {
    var cursor: EdgeCursor?
    var limit: Int

    init(_ request: Request, limits: Limits) throws {
        var validator = Validator()
        cursor = KeysetCursor.parameter(of: request, into: &validator).map(EdgeCursor.init)
        limit = PageRequest.limit(of: request, limits: limits, into: &validator)
        try validator.validate()
    }

    /// Fetches one more than a page to know whether another follows.
    func page<Item: Codable & Sendable>(_ edges: [EdgeCursor], items: ([EdgeCursor]) async throws -> [Item]) async throws -> Page<Item> {
        let (shown, next) = PageRequest.split(edges, limit: limit) { $0.text }
        return Page(items: try await items(shown), nextCursor: next)
    }
}
