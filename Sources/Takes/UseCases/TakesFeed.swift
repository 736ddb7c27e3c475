import EntativaCore
import EntativaModels
import Feed

/// The Takes feed: the newest Takes of the horizon (a window of `feedWindow`), those the reader
/// may see, has not seen and did not make, by muted authors left out, ranked by `TakeRanking`,
/// with at most `perAuthor` of one author on a page. Pages resume from a `RankedCursor`: the
/// window and the scoring instant stay those of the first page, so paging neither repeats nor
/// skips because of new Takes or views reported meanwhile.
struct TakesFeed: Sendable {
    let env: TakesEnvironment

    static let perAuthor = 2

    func read(viewer: Principal, cursor: RankedCursor?, limit: Int) async throws -> Page<TakeFeedItem> {
        let reader = viewer.accountID
        let rankedAt = cursor?.rankedAt ?? env.now
        let db = env.database.sql
        let since = rankedAt - Int64(env.settings.feedHorizon.components.seconds) * 1000
        let window = try await TakeStore.newest(since: since, atOrBelow: cursor?.top, limit: env.settings.feedWindow, on: db)
        guard let top = window.first?.postId else { return Page(items: [], nextCursor: nil) }
        let candidates = window.filter { $0.authorId != reader }
        let signals = Dictionary(uniqueKeysWithValues: try await env.posts.visibleSignals(of: candidates.map(\.postId), viewer: viewer).map { ($0.id, $0) })
        let authors = Array(Set(candidates.map(\.authorId)))
        let muted = try await env.homeGraph.muted(by: reader, among: authors)
        let seen = try await ViewStore.seen(by: reader, among: Array(signals.keys), before: rankedAt, on: db)
        let eligible = candidates.filter { signals[$0.postId] != nil && !muted.contains($0.authorId) && !seen.contains($0.postId) }
        let affinity = try await env.affinity.scores(of: reader, with: Set(eligible.map(\.authorId)))
        let boosts = try await TrendBoosts(env: env).originTakes()
        let ranking = TakeRanking(settings: env.settings)
        let scored = eligible.map { row in
            (row: row, scored: ranking.score(
                row, signals: signals[row.postId], affinity: affinity[row.authorId] ?? 0, trendJoins: boosts[row.postId], now: rankedAt))
        }
        let ordered = scored.sorted { a, b in
            a.scored.score != b.scored.score ? a.scored.score > b.scored.score : a.row.postId > b.row.postId
        }
        let offset = cursor?.offset ?? 0
        let page = Self.page(ordered, at: offset, limit: limit) { $0.row.authorId }
        let takes = Dictionary(uniqueKeysWithValues: try await TakeRenderer(env: env).render(page.items.map(\.row), viewer: viewer).map { ($0.id, $0) })
        let items = page.items.compactMap { item in
            takes[item.row.postId].map {
                TakeFeedItem(
                    take: $0, score: item.scored.score, completion: item.scored.completion, rewatch: item.scored.rewatch,
                    velocity: item.scored.velocity, affinity: item.scored.affinity, boost: item.scored.boost)
            }
        }
        let next = page.consumed < ordered.count ? RankedCursor(top: cursor?.top ?? top, rankedAt: rankedAt, offset: page.consumed) : nil
        return Page(items: items, nextCursor: next?.text)
    }

    /// The page starting at `offset` of the ranked list cut into pages of at most `limit`, each
    /// with at most `perAuthor` of one author: an author's extra items wait for a later page
    /// instead of being dropped. `consumed` is how many ranked items this and earlier pages hold.
    static func page<Item>(_ ranked: [Item], at offset: Int, limit: Int, author: (Item) -> AccountID) -> (items: [Item], consumed: Int) {
        var remaining = ranked[...]
        var consumed = 0
        while !remaining.isEmpty {
            var page: [Item] = []
            var deferred: [Item] = []
            var counts: [AccountID: Int] = [:]
            for item in remaining {
                if page.count < limit && counts[author(item), default: 0] < perAuthor {
                    page.append(item)
                    counts[author(item), default: 0] += 1
                } else {
                    deferred.append(item)
                }
            }
            consumed += page.count
            if consumed > offset || page.isEmpty { return (page, consumed) }
            remaining = deferred[...]
        }
        return ([], consumed)
    }
}
