import EntativaCore
import EntativaModels
import Graph

/// Who gets the discovery boost now: the origin Takes of growing trends, and their originators,
/// each with the joins of the last day (the most, when they started several trends).
struct TrendBoosts: Sendable {
    let env: TakesEnvironment

    func originTakes() async throws -> [PostID: Int64] {
        var boosts: [PostID: Int64] = [:]
        for origin in try await TrendStore.growingOrigins(on: env.database.sql) { boosts[origin.take] = max(boosts[origin.take] ?? 0, origin.joinsLastDay) }
        return boosts
    }

    func originators() async throws -> [AccountID: Int64] {
        var boosts: [AccountID: Int64] = [:]
        for origin in try await TrendStore.growingOrigins(on: env.database.sql) {
            boosts[origin.originator] = max(boosts[origin.originator] ?? 0, origin.joinsLastDay)
        }
        return boosts
    }
}

/// The originators of growing trends, offered to people suggestions: min(10, joins in the last
/// day) points each, which outweighs a handful of mutual ties but not a close circle.
struct TrendSuggestions: SuggestionBooster {
    let env: TakesEnvironment

    static let maxPoints = 10

    func boosts(for viewer: AccountID) async throws -> [AccountID: SuggestionBoost] {
        try await TrendBoosts(env: env).originators().mapValues { joins in
            SuggestionBoost(points: Int(min(Int64(Self.maxPoints), joins)), reason: SuggestionReason(kind: .startedTrend, count: Int(joins)))
        }
    }
}
