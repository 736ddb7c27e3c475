import EntativaCore
import EntativaModels

/// The principals of recently checked sessions, so an authenticated request does not read its
/// session and account every time. Every write that ends a session or changes its account's
/// state or role announces the account (`SessionStore.announceChange`), which drops all of its
/// sessions here and, on PostgreSQL, in every other instance. Only open sessions of active
/// accounts are kept: a refused token is read again each time.
struct SessionStandings: Sendable {
    private let cache: SharedCache<SessionID, Principal>

    init(invalidation: CacheInvalidation, lifetime: Duration) {
        let cache = SharedCache<SessionID, Principal>(invalidation: invalidation, capacity: 100_000, lifetime: lifetime)
        invalidation.register(SessionStore.cacheName, cache: cache) { key in
            guard let account = AccountID(key) else { return cache.removeAll() }
            cache.remove { _, principal in principal.accountID == account }
        }
        self.cache = cache
    }

    /// The principal of `session`, from the cache or from `check` (which throws for a session
    /// that may not be used). A cached session of another account than the token names is
    /// refused like an unknown one.
    func principal(_ account: AccountID, _ session: SessionID, check: () async throws -> Principal) async throws -> Principal {
        guard let principal = try await cache.value(for: session, load: check), principal.accountID == account else {
            throw AppError.unauthenticated("The session has ended.")
        }
        return principal
    }
}
