import EntativaCore
import EntativaModels

/// People to follow or befriend: friends of my friends with how many we share (Entativa) and
/// accounts followed by the accounts I follow (co-follow), strongest first; at equal counts
/// mutual friends come first. Never myself, anyone I follow, befriended, asked to follow or
/// muted, anyone a block stands between, or anyone I dismissed.
struct Suggestions: Sendable {
    let env: GraphEnvironment

    /// Candidates read from each walk before filtering.
    static let candidates = 200

    func list(caller: Principal, limit: Int) async throws -> Page<AccountSuggestion> {
        let viewer = caller.accountID
        let database = env.database.sql
        var reasons: [AccountID: SuggestionReason] = [:]
        if env.kernel.config.platform == .entativa {
            for (account, shared) in try await SuggestionStore.friendsOfFriends(of: viewer, limit: Self.candidates, on: database) {
                reasons[account] = SuggestionReason(kind: .mutualFriends, count: shared)
            }
        }
        for (account, shared) in try await SuggestionStore.coFollowed(by: viewer, limit: Self.candidates, on: database) where (reasons[account]?.count ?? 0) < shared {
            reasons[account] = SuggestionReason(kind: .followedByFollowing, count: shared)
        }
        let candidates = Array(reasons.keys)
        let edges = try await env.caches.edges(of: viewer, with: candidates)
        let excluded: PairEdges = [.following, .requested, .friends, .blocking, .blockedBy, .muting]
        let dismissed = try await SuggestionStore.dismissed(by: viewer, on: database)
        let ranked = candidates.filter { edges[$0].map { $0.isDisjoint(with: excluded) } ?? true && !dismissed.contains($0) }
            .sorted { a, b in
                let (x, y) = (reasons[a]!, reasons[b]!)
                if x.count != y.count { return x.count > y.count }
                if x.kind != y.kind { return x.kind == .mutualFriends }
                return a < b
            }
        // Accounts that cannot be shown (suspended, deleted) drop out here; a few spare cover them.
        let accounts = try await env.profiles.accounts(Array(ranked.prefix(limit + 10)), viewer: caller)
        let items = accounts.prefix(limit).map { AccountSuggestion(account: $0, reason: reasons[$0.id]!) }
        return Page(items: Array(items), nextCursor: nil)
    }

    func dismiss(_ account: AccountID, caller: Principal) async throws {
        guard account != caller.accountID else { throw AppError.invalid(field: "id", code: "self", message: "cannot dismiss yourself") }
        _ = try await env.profiles.account(account, viewer: caller, counts: false)
        try await env.database.transaction { [now = env.now, viewer = caller.accountID] db in
            try await SuggestionStore.dismiss(account, by: viewer, now: now, on: db)
        }
    }
}
