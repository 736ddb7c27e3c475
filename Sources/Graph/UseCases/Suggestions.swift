import EntativaCore
import EntativaModels
import SQLKit

/// People to follow or befriend: friends of my friends with how many we share (Entativa) and
/// accounts followed by the accounts I follow (co-follow), strongest first; at equal counts
/// mutual friends come first. Never myself, anyone I follow, befriended, asked to follow or
/// muted, anyone a block stands between, or anyone I dismissed. Other domains may add points
/// (`SuggestionBoosts`): the originators of growing Takes trends.
struct Suggestions: Sendable {
    let env: GraphEnvironment

    /// Candidates read from each walk before filtering.
    static let candidates = 200

    func list(caller: Principal, limit: Int) async throws -> Page<AccountSuggestion> {
        let viewer = caller.accountID
        let database = env.database.sql
        var found = try await Self.candidates(for: viewer, platform: env.kernel.config.platform, on: database)
        for (account, boost) in try await env.suggestionBoosts.all(for: viewer) where account != viewer {
            var candidate = found[account] ?? Candidate(reason: boost.reason, score: 0)
            candidate.score += boost.points
            found[account] = candidate
        }
        let candidates = Array(found.keys)
        let edges = try await env.caches.edges(of: viewer, with: candidates)
        let excluded: PairEdges = [.following, .requested, .friends, .blocking, .blockedBy, .muting]
        let dismissed = try await SuggestionStore.dismissed(by: viewer, on: database)
        let ranked = Self.ranked(found).filter { edges[$0].map { $0.isDisjoint(with: excluded) } ?? true && !dismissed.contains($0) }
        // Accounts that cannot be shown (suspended, deleted) drop out here; a few spare cover them.
        let accounts = try await env.profiles.accounts(Array(ranked.prefix(limit + 10)), viewer: caller)
        let items = accounts.prefix(limit).map { AccountSuggestion(account: $0, reason: found[$0.id]!.reason) }
        return Page(items: Array(items), nextCursor: nil)
    }

    /// A candidate's reason (its stronger tie) and its score: mutual friends plus the accounts I
    /// follow that follow it, so someone tied to me both ways outranks someone tied one way.
    struct Candidate: Sendable {
        var reason: SuggestionReason
        var score: Int
    }

    /// Every candidate for `viewer`, from the graph as it was before `before`.
    static func candidates(for viewer: AccountID, platform: Platform, before: Int64 = .max, on database: any SQLDatabase) async throws -> [AccountID: Candidate] {
        var found: [AccountID: Candidate] = [:]
        if platform == .entativa {
            for (account, shared) in try await SuggestionStore.friendsOfFriends(of: viewer, limit: candidates, before: before, on: database) {
                found[account] = Candidate(reason: SuggestionReason(kind: .mutualFriends, count: shared), score: shared)
            }
        }
        for (account, shared) in try await SuggestionStore.coFollowed(by: viewer, limit: candidates, before: before, on: database) {
            var candidate = found[account] ?? Candidate(reason: SuggestionReason(kind: .followedByFollowing, count: shared), score: 0)
            candidate.score += shared
            if candidate.reason.count < shared { candidate.reason = SuggestionReason(kind: .followedByFollowing, count: shared) }
            found[account] = candidate
        }
        return found
    }

    /// Highest score first; at equal scores mutual friends first, then by ID.
    static func ranked(_ candidates: [AccountID: Candidate]) -> [AccountID] {
        candidates.keys.sorted { a, b in
            let (x, y) = (candidates[a]!, candidates[b]!)
            if x.score != y.score { return x.score > y.score }
            if x.reason.kind != y.reason.kind { return x.reason.kind == .mutualFriends }
            return a < b
        }
    }

    func dismiss(_ account: AccountID, caller: Principal) async throws {
        guard account != caller.accountID else { throw AppError.invalid(field: "id", code: "self", message: "cannot dismiss yourself") }
        _ = try await env.profiles.account(account, viewer: caller, counts: false)
        try await env.database.transaction { [now = env.now, viewer = caller.accountID] db in
            try await SuggestionStore.dismiss(account, by: viewer, now: now, on: db)
        }
    }
}
