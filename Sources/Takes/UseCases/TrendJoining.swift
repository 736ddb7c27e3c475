import EntativaCore
import EntativaModels
import SQLKit

/// A Take joins the trends of its hashtags, its sound and its template as it is published (or
/// as an edit adds a hashtag). The first Take to use a key starts its trend and makes its author
/// the originator; that row is never rewritten, so the credit cannot move to a later Take.
struct TrendJoining: Sendable {
    let env: TakesEnvironment

    func join(_ take: PostID, author: AccountID, keys: [(TrendKind, String)], at: Int64, on db: any SQLDatabase) async throws {
        for (kind, key) in keys {
            let trend = try await TrendStore.findOrStart(
                kind: kind, key: key, id: env.kernel.ids.next(TrendID.self), originator: author, originTake: take, at: at, on: db)
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
