import EntativaModels
import Foundation

extension EntativaClient {
    /// Whether these accounts (1–100) are online and when they were last seen, as each allows me.
    public func presence(of accounts: [AccountID]) async throws -> [AccountPresence] {
        let page: Page<AccountPresence> = try await send("GET", "/api/v1/presence", query: accounts.map { URLQueryItem(name: "id[]", value: $0.description) })
        return page.items
    }

    public func presenceSettings() async throws -> PresenceSettings {
        try await send("GET", "/api/v1/presence/settings")
    }

    /// Who may see whether I am online: everyone, contacts (the default) or nobody.
    public func updatePresenceSettings(_ visibility: PresenceVisibility) async throws -> PresenceSettings {
        try await send("PUT", "/api/v1/presence/settings", body: PresenceSettings(visibility: visibility))
    }
}
