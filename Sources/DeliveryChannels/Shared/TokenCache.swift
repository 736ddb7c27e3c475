import Foundation

/// Holds one bearer token and refreshes it at most once at a time.
///
/// APNs refuses provider tokens refreshed more often than every 20 minutes, and Google's token
/// endpoint is rate limited, so concurrent sends must share a single refresh instead of racing.
actor TokenCache {
    struct Issued: Sendable {
        var token: String
        /// When to stop using it: before the provider would reject it.
        var refreshAt: Date
    }

    private var current: Issued?
    private var refreshing: Task<Issued, any Error>?
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    func token(issue: @escaping @Sendable () async throws -> Issued) async throws -> String {
        if let current, current.refreshAt > now() {
            return current.token
        }
        if let refreshing {
            return try await refreshing.value.token
        }
        let task = Task { try await issue() }
        refreshing = task
        defer { refreshing = nil }
        let issued = try await task.value
        current = issued
        return issued.token
    }

    /// Drops `token` after the provider rejected it; a newer token is kept.
    func invalidate(_ token: String) {
        if current?.token == token {
            current = nil
        }
    }
}
