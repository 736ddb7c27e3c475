import EntativaCore
import EntativaModels
import Synchronization

/// What a domain above the graph offers people suggestions (Takes: the originators of growing
/// trends). The graph's rules still apply to every boosted account: never myself, anyone I
/// follow, befriended, muted, blocked either way, or dismissed.
public protocol SuggestionBooster: Sendable {
    func boosts(for viewer: AccountID) async throws -> [AccountID: SuggestionBoost]
}

/// Points added to an account's score (mutual friends plus co-follows), and the reason shown
/// when the graph has none of its own.
public struct SuggestionBoost: Sendable, Equatable {
    public var points: Int
    public var reason: SuggestionReason

    public init(points: Int, reason: SuggestionReason) {
        self.points = points
        self.reason = reason
    }
}

/// The slot boosters are installed into while the application is built.
public final class SuggestionBoosts: Sendable {
    private let boosters = Mutex<[any SuggestionBooster]>([])

    public init() {}

    public func install(_ booster: any SuggestionBooster) {
        boosters.withLock { $0.append(booster) }
    }

    func all(for viewer: AccountID) async throws -> [AccountID: SuggestionBoost] {
        var merged: [AccountID: SuggestionBoost] = [:]
        for booster in boosters.withLock({ $0 }) {
            for (account, boost) in try await booster.boosts(for: viewer) {
                var sum = merged[account] ?? SuggestionBoost(points: 0, reason: boost.reason)
                sum.points += boost.points
                merged[account] = sum
            }
        }
        return merged
    }
}
