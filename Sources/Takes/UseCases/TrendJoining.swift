import EntativaCore
import EntativaModels
import SQLKit

/// A Take joins the trends of its hashtags, its sound and its template as it is published (or
/// as an edit adds a hashtag). The first Take to use a key starts its trend and makes its author
/// the originator; no later use can take that place, so the credit cannot move to a later Take.
/// Only a Take everyone may see (public, by a public account) starts a trend: a credit is shown
/// to everyone, and must not reveal what a narrower audience saw. Narrower Takes join trends
/// that exist.
struct TrendJoining: Sendable {
    let env: TakesEnvironment

    /// Whether a Take with `audience` by `author` may start trends.
    func startsTrends(audience: PostAudience, author: AccountID) async throws -> Bool {
        guard audience == .public else { return false }
        let account = try await env.profiles.accounts([author], viewer: nil, counts: false).first
        return account.map { !$0.isPrivate } ?? false
    }

    func join(
        _ take: PostID, author: AccountID, keys: [(TrendKind, String)], at: Int64, startsTrends: Bool, on db: any SQLDatabase
    ) async throws {
        for (kind, key) in keys {
            var found: TrendStore.TrendRow?
            if startsTrends {
                found = try await TrendStore.findOrStart(
                    kind: kind, key: key, id: env.kernel.ids.next(TrendID.self), originator: author, originTake: take, at: at, on: db)
            } else {
                found = try await TrendStore.find(kind: kind, key: key, on: db)
            }
            guard let trend = found else { continue }
            let firstTime = try await TrendStore.join(trend.id, take: take, account: author, at: at, on: db)
            if firstTime && trend.originatorId != author {
                try await env.kernel.events.publish(
                    TrendJoined(trendId: trend.id, originatorId: trend.originatorId, participantId: author, takeId: take), on: db)
            }
        }
    }
}

/// A creator's first Take in someone else's trend.
public struct TrendJoined: DomainEvent {
    public static let topic = "takes.trend_joined"
    public var trendId: TrendID
    public var originatorId: AccountID
    public var participantId: AccountID
    public var takeId: PostID
}
