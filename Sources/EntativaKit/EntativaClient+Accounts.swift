import EntativaModels
import Foundation

extension EntativaClient {
    public func me() async throws -> Account {
        try await send("GET", "/api/v1/accounts/me")
    }

    public func updateMe(_ changes: UpdateAccountRequest) async throws -> Account {
        try await send("PATCH", "/api/v1/accounts/me", body: changes)
    }

    /// Deletes the signed-in account; the username stays reserved.
    public func deleteAccount(password: String) async throws {
        _ = try await send("DELETE", "/api/v1/accounts/me", body: DeleteAccountRequest(password: password), as: Empty.self)
        await tokens.clear()
    }

    public func account(_ id: AccountID) async throws -> Account {
        try await send("GET", "/api/v1/accounts/\(id)", auth: .optional)
    }

    public func lookup(username: String) async throws -> Account {
        try await send("GET", "/api/v1/accounts/lookup", query: [URLQueryItem(name: "username", value: username)], auth: .optional)
    }

    public func securityEvents(cursor: String? = nil, limit: Int? = nil) async throws -> Page<SecurityEvent> {
        try await send("GET", "/api/v1/accounts/me/security-events", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func suspend(_ id: AccountID, reason: String? = nil) async throws -> Account {
        try await send("POST", "/api/v1/admin/accounts/\(id)/suspend", body: SuspendAccountRequest(reason: reason))
    }

    public func unsuspend(_ id: AccountID) async throws -> Account {
        try await send("POST", "/api/v1/admin/accounts/\(id)/unsuspend")
    }

    public func instance() async throws -> InstanceInfo {
        try await send("GET", "/api/v1/instance", auth: .none)
    }
}
