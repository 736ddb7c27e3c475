import EntativaCore
import EntativaModels
import Graph
import Posts

/// What a home page asks for: newest first by post ID, or ranked within a window.
public enum HomePageRequest: Sendable {
    case chronological(PageRequest)
    case ranked(HomeOrder, cursor: RankedCursor?, limit: Int)
}

/// Reads a home timeline: the reader's pushed entries merged with the newest posts of the
/// authors readers pull, through the posts' visibility rule. Where the entries end (older than
/// any push or backfill), candidates come from the authors' own posts, so paging reaches back to
/// the first post of everyone followed; there is no cap.
public struct HomeTimeline: Sendable {
    let env: FeedEnvironment

    /// How many of the newest visible posts a ranked page scores at once; past them, the next
    /// window begins.
    static let rankingWindow = 200

    public init(env: FeedEnvironment) { self.env = env }

    public func read(viewer: Principal, page: HomePageRequest) async throws -> HomePage {
        let candidates = try await Candidates(env: env, reader: viewer.accountID)
        switch page {
        case .chronological(let request):
            let result = try await env.posts.page(viewer: viewer, limit: request.limit, authors: candidates.authors) { before, count in
                try await candidates.newest(before: before ?? request.before.map(PostID.init(rawValue:)), count: count)
            }
            return HomePage(
                items: result.posts, nextCursor: result.next.map(\.description),
                ranking: HomeRanking(order: .chronological, terms: [:], leftOut: []))
        case .ranked(let order, let cursor, let limit):
            return try await ranked(order, viewer: viewer, candidates: candidates, cursor: cursor, limit: limit)
        }
    }

    private func ranked(_ order: HomeOrder, viewer: Principal, candidates: Candidates, cursor: RankedCursor?, limit: Int) async throws -> HomePage {
        let rankedAt = cursor?.rankedAt ?? env.kernel.clock.nowMillis()
        let start = cursor.map { PostID(rawValue: $0.top.rawValue + 1) }
        let posts = env.posts
        func find() async throws -> (posts: [PostSignals], next: PostID?) {
            try await posts.visibleSignals(viewer: viewer, limit: Self.rankingWindow, authors: candidates.authors) { before, count in
                try await candidates.newest(before: before ?? start, count: count)
            }
        }
        let window: (posts: [PostSignals], next: PostID?)
        if cursor == nil {
            // The first window is kept per reader; its posts are scored on current counts.
            var found: (posts: [PostSignals], next: PostID?)?
            let basis = try await candidates.windowBasis()
            let kept = try await env.heads.firstWindow(of: viewer.accountID, basis: basis) {
                let scanned = try await find()
                found = scanned
                return HomeHeads.RankedWindow(basis: basis, posts: scanned.posts.map(\.id), next: scanned.next)
            }
            if let found {
                window = found
            } else {
                window = (try await posts.signals(of: kept.posts), kept.next)
            }
        } else {
            window = try await find()
        }
        let weights = env.settings.rankingWeights
        let model = order == .ranked && weights.model > 0 ? try await env.history.latestModel() : nil
        let ranking: HomeRanking
        if order == .engagement {
            ranking = HomeRanking(order: order, terms: ["engagement": 1], leftOut: [])
        } else {
            var terms = ["recency": weights.recency, "engagement": weights.engagement, "affinity": weights.affinity]
            // Until a model is trained its term is left out, not faked.
            if model != nil { terms["model"] = weights.model }
            ranking = HomeRanking(order: order, terms: terms, leftOut: model == nil ? ["model"] : [], modelVersion: model?.version)
        }
        guard let newest = window.posts.first?.id else { return HomePage(items: [], nextCursor: nil, ranking: ranking) }
        let top = cursor?.top ?? newest
        let authors = Array(Set(window.posts.map(\.author)))
        let friends = env.kernel.config.platform == .entativa ? try await env.graph.friends(of: viewer.accountID, among: authors) : []
        let ranked: [PostSignals]
        if order == .engagement {
            ranked = EngagementFormula.rank(window.posts, now: rankedAt, friends: friends)
        } else {
            let reader = viewer.accountID
            let affinity = try await env.history.affinity(of: reader, with: authors, now: rankedAt)
            var predictions: [PostID: Double] = [:]
            if let model {
                let history = try await env.history.kindHistory(of: reader, now: rankedAt)
                for post in window.posts {
                    let past = history[post.kind] ?? (0, 0)
                    let features = EngagementFeatures(
                        post: post, affinity: affinity[post.author] ?? 0,
                        kindRate: EngagementFeatures.kindRate(engaged: past.engaged, shown: past.shown), now: rankedAt)
                    predictions[post.id] = model.model.probability(features)
                }
            }
            let seen = try await env.history.seen(by: reader, among: window.posts.map(\.id))
            ranked = RankedFormula.rank(
                window.posts,
                inputs: RankedFormula.Inputs(
                    now: rankedAt, affinity: affinity, friends: friends, weights: weights, predictions: predictions, seen: seen))
        }
        let offset = cursor?.offset ?? 0
        let shown = Array(ranked.dropFirst(offset).prefix(limit))
        var next: RankedCursor?
        if offset + limit < ranked.count {
            next = RankedCursor(top: top, rankedAt: rankedAt, offset: offset + limit)
        } else if let after = window.next, after.rawValue > 1 {
            next = RankedCursor(top: PostID(rawValue: after.rawValue - 1), rankedAt: rankedAt, offset: 0)
        }
        return HomePage(items: try await env.posts.render(shown.map(\.id), viewer: viewer), nextCursor: next?.text, ranking: ranking)
    }
}

/// The posts a reader's home may show, newest first: pushed entries, the pulled authors'
/// posts, and past the entries the sources' own posts.
private struct Candidates: Sendable {
    let reader: AccountID
    /// The reader's sources and the reader.
    let authors: Set<AccountID>
    /// Sources fan-out skips, whose posts are not pushed, in ID order.
    let pulled: [AccountID]
    /// Changes with any edge of the reader's (`HomeGraph.versionedSources`).
    let sourcesVersion: UInt64
    /// Sources whose posts below an ID are missing from the entries (a back-fill copied only
    /// their newest, or they were pulled when they posted them), with that ID.
    let gaps: [AccountID: PostID]
    let env: FeedEnvironment

    init(env: FeedEnvironment, reader: AccountID) async throws {
        let versioned = try await env.graph.versionedSources(of: reader)
        let sources = versioned.accounts
        var gaps = try await env.gaps.gaps(of: reader).filter { sources.contains($0.key) }
        var pulled: [AccountID] = []
        for (author, state) in try await env.pullStates.all() where sources.contains(author) {
            switch state {
            case .pulled: pulled.append(author)
            case .pushedSince(let post): gaps[author] = max(gaps[author] ?? post, post)
            }
        }
        self.env = env
        self.reader = reader
        self.authors = sources.union([reader])
        self.pulled = pulled.sorted()
        self.sourcesVersion = versioned.version
        self.gaps = gaps
    }

    /// What a first ranked window is found from besides the entries, to tell whether a kept
    /// window still holds.
    func windowBasis() async throws -> HomeHeads.WindowBasis {
        var newest: [PostID?] = []
        for author in pulled { newest.append(try await env.posts.newest(byAny: [author], before: nil, limit: 1).first?.id) }
        return HomeHeads.WindowBasis(sourcesVersion: sourcesVersion, gaps: gaps, pulled: pulled, pulledNewest: newest)
    }

    func newest(before: PostID?, count: Int) async throws -> [PostID] {
        let pushed = try await env.heads.page(of: reader, before: before, limit: count)
        var found = pushed
        if pushed.count < count {
            found += try await env.posts.newest(byAny: Array(authors), before: before, limit: count)
        } else {
            // Besides pulled authors: authors with a gap that reaches into this batch's range.
            let lowest = pushed.last!.id
            let gapped = gaps.filter { $0.value > lowest }.map(\.key)
            let merged = pulled + gapped
            if !merged.isEmpty { found += try await env.posts.newest(byAny: merged, before: before, limit: count) }
        }
        return Array(Set(found.map(\.id)).sorted(by: >).prefix(count))
    }
}
