import EntativaCore
import EntativaModels
import Feed

/// The Takes feed: the newest Takes of the horizon (a window of `feedWindow`, kept in memory by
/// `TakeCandidates`), those the reader
/// may see, has not seen and did not make, by muted authors left out, ranked by `TakeRanking`,
/// with at most `perAuthor` of one author on a page. Pages resume from a `RankedCursor`: the
/// window and the scoring instant stay those of the first page, so paging neither repeats nor
/// skips because of new Takes or views reported meanwhile.
struct TakesFeed: Sendable {
    let env: TakesEnvironment

    static let perAuthor = 2

    func read(viewer: Principal, cursor: RankedCursor?, limit: Int) async throws -> Page<TakeFeedItem> {
        let reader = viewer.accountID
        let now = env.now
        let horizon = Int64(env.settings.feedHorizon.components.seconds) * 1000
        // A cursor's instant is the client's to send back: held within the horizon of now, so a
        // forged one cannot reach older Takes.
        let rankedAt = min(now, max(now - horizon, cursor?.rankedAt ?? now))
        let db = env.database.sql
        let since = rankedAt - horizon
        let window = try await env.candidates.newest().filter { entry in
            entry.createdAt >= since && entry.createdAt <= rankedAt && cursor.map { entry.id <= $0.top } ?? true
        }
        guard let top = window.first?.id else { return Page(items: [], nextCursor: nil) }
        let candidates = window.filter { $0.author != reader }
        let signals = Dictionary(uniqueKeysWithValues: try await env.posts.visibleSignals(of: candidates.map(\.id), viewer: viewer).map { ($0.id, $0) })
        let authors = Array(Set(candidates.map(\.author)))
        let muted = try await env.homeGraph.muted(by: reader, among: authors)
        let seen = try await ViewStore.seen(by: reader, among: Array(signals.keys), before: rankedAt, on: db)
        let eligible = candidates.filter { signals[$0.id] != nil && !muted.contains($0.author) && !seen.contains($0.id) }
        let counters = try await env.candidates.counters(of: eligible.map(\.id))
        let affinity = try await env.affinity.scores(of: reader, with: Set(eligible.map(\.author)))
        let boosts = try await TrendBoosts(env: env).originTakes()
        let ranking = TakeRanking(settings: env.settings)
        let scored = eligible.compactMap { entry -> (entry: TakeCandidates.Entry, scored: TakeRanking.Scored)? in
            guard let counted = counters[entry.id] else { return nil }
            let inputs = TakeRanking.Inputs(
                views: counted.views, completionSum: counted.completionSum, rewatchSum: counted.rewatchSum, signals: signals[entry.id],
                affinity: affinity[entry.author] ?? 0, trendJoins: boosts[entry.id])
            return (entry, ranking.score(inputs, createdAt: entry.createdAt, now: rankedAt))
        }
        let ordered = scored.sorted { a, b in
            a.scored.score != b.scored.score ? a.scored.score > b.scored.score : a.entry.id > b.entry.id
        }
        let offset = cursor?.offset ?? 0
        let page = Self.page(ordered, at: offset, limit: limit) { $0.entry.author }
        let rows = try await TakeStore.live(page.items.map(\.entry.id), on: db)
        let takes = Dictionary(uniqueKeysWithValues: try await TakeRenderer(env: env).render(rows, viewer: viewer).map { ($0.id, $0) })
        let items = page.items.compactMap { item in
            takes[item.entry.id].map {
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
