import EntativaCore
import EntativaModels
import Foundation

/// What the search box was asked, with its filters (validated by the route).
public struct SearchRequest: Sendable, Equatable {
    public var text: String
    public var sections: [SearchSection]
    public var cursor: String?
    public var limit: Int
    public var author: AccountID?
    /// Milliseconds since 1970: posts created at or after `since` and before `until`.
    public var since: Int64?
    public var until: Int64?
    public var hasMedia: Bool?
    /// Reactions + comments + shares, counted live.
    public var minEngagement: Int?
    /// Posts and Takes made within `radiusKm` of `near`; places ordered by distance from it.
    var near: GeoPoint?
    var radiusKm: Double?

    public init(text: String, sections: [SearchSection] = SearchSection.allCases, cursor: String? = nil, limit: Int = 20) {
        (self.text, self.sections, self.cursor, self.limit) = (text, sections, cursor, limit)
    }
}

/// `GET /api/v1/search`: a page per section. The index proposes candidates; Identity, Posts and
/// Takes decide on every read what the searcher may see, so nothing hidden from them (audience,
/// blocks either way, private accounts, deleted, suspended) is ever shown or counted.
struct UnifiedSearch: Sendable {
    let env: SearchEnvironment

    func search(_ request: SearchRequest, viewer: Principal?) async throws -> SearchResults {
        let query = SearchQuery(request.text)
        var validator = Validator()
        validator.check(!query.isEmpty, "q", "no_terms", "must contain a word, a hashtag or a mention")
        try validator.validate()
        let db = env.database.sql
        let widened = query.widened(with: try await Fuzzy.neighbours(of: query.typoCandidates, on: db))
        var results = SearchResults()
        for section in request.sections {
            switch section {
            case .accounts: results.accounts = try await accounts(widened, request: request, viewer: viewer)
            case .hashtags: results.hashtags = try await hashtags(widened, request: request)
            case .posts:
                let page = try await posts(widened, request: request, takes: false, viewer: viewer)
                results.posts = Page(items: try await env.posts.render(page.ids, viewer: viewer), nextCursor: page.next)
            case .takes:
                let page = try await posts(widened, request: request, takes: true, viewer: viewer)
                results.takes = Page(items: try await env.takes.render(page.ids, viewer: viewer), nextCursor: page.next)
            case .places: results.places = try await places(query, request: request)
            }
        }
        return results
    }

    // MARK: Accounts

    /// Ranked among the first `rankedCandidates` matches: the username typed in full first,
    /// then usernames starting with the first word, then by followers.
    private func accounts(_ query: SearchQuery, request: SearchRequest, viewer: Principal?) async throws -> Page<Account> {
        let offset = try Self.offset(request.cursor, within: env.settings.rankedCandidates)
        var matches = try await MatchStore.accounts(matching: query.mentionsAsNames, limit: env.settings.rankedCandidates, on: env.database.sql)
        let typed = SearchText.fold(request.text).filter { !$0.isWhitespace && $0 != "@" }
        // The username typed in full ranks first even when hundreds of more followed accounts match.
        if let exact = try await MatchStore.account(usernameKey: typed, on: env.database.sql), !matches.contains(where: { $0.id == exact.id }) {
            matches.append(exact)
        }
        let first = query.groups.first.map { ($0.terms.first ?? $0.prefix ?? "").trimmingPrefix("@") }.map(String.init) ?? ""
        func tier(_ match: MatchStore.AccountMatch) -> Int {
            match.usernameKey == typed ? 0 : !first.isEmpty && match.usernameKey.hasPrefix(first) ? 1 : 2
        }
        let ranked = matches.sorted {
            let (a, b) = (tier($0), tier($1))
            if a != b { return a < b }
            if $0.followers != $1.followers { return $0.followers > $1.followers }
            return $0.id < $1.id
        }
        let (slice, next) = Self.window(ranked, from: offset, limit: request.limit)
        return Page(items: try await env.profiles.accounts(slice.map(\.id), viewer: viewer), nextCursor: next)
    }

    // MARK: Hashtags

    /// Tags used by public posts of public accounts: those named in full first, then those
    /// starting with the word being typed, each by uses.
    private func hashtags(_ query: SearchQuery, request: SearchRequest) async throws -> Page<HashtagHit> {
        let offset = try Self.offset(request.cursor, within: 2 * env.settings.rankedCandidates)
        let keys = query.groups.flatMap(\.terms).filter { !$0.hasPrefix("@") }.map { String($0.trimmingPrefix("#")) }
        let prefix = query.groups.last?.prefix.flatMap { $0.hasPrefix("@") ? nil : String($0.trimmingPrefix("#")) }
        let db = env.database.sql
        var prefixed: [String] = []
        if let prefix {
            prefixed = try await PrefixStore.top(.hashtag, prefix: Prefixes.cut(prefix), limit: env.settings.rankedCandidates, on: db).map(\.entity)
        }
        var seen: Set<String> = []
        let rows = try await MatchStore.hashtags(keys + prefixed, on: db)
            .filter { prefix.map($0.tag.hasPrefix) ?? true || keys.contains($0.tag) }.filter { seen.insert($0.tag).inserted }
        let named = Set(keys)
        let ranked = rows.sorted {
            let (a, b) = (named.contains($0.tag), named.contains($1.tag))
            if a != b { return a }
            if $0.publicUses != $1.publicUses { return $0.publicUses > $1.publicUses }
            return $0.tag < $1.tag
        }
        let (slice, next) = Self.window(ranked, from: offset, limit: request.limit)
        return Page(
            items: slice.map { HashtagHit(name: $0.name, uses: Int($0.publicUses), lastUsedAt: Date(millisecondsSince1970: $0.lastUsedAt)) },
            nextCursor: next)
    }

    // MARK: Places

    /// Places named with every word, most used first (nearest first around a given point).
    private func places(_ query: SearchQuery, request: SearchRequest) async throws -> Page<PlaceHit> {
        let offset = try Self.offset(request.cursor, within: env.settings.rankedCandidates)
        let words = query.groups.compactMap { group -> String? in
            let word = group.prefix ?? group.terms.first
            return word.map { $0.hasPrefix("#") || $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
        }
        let ranked = try await Places(env: env).named(words, around: request.near, limit: env.settings.rankedCandidates)
        let (slice, next) = Self.window(ranked, from: offset, limit: request.limit)
        return Page(items: slice, nextCursor: next)
    }

    // MARK: Posts and Takes

    /// One page of matching posts (or Takes) the viewer may see, newest first. The cursor is the
    /// last candidate looked at, so a run of hidden hits never ends the search early, and a
    /// page looks at no more than `scanLimit` candidates.
    private func posts(_ query: SearchQuery, request: SearchRequest, takes: Bool, viewer: Principal?) async throws -> (ids: [PostID], next: String?) {
        var before = try Self.postCursor(request.cursor)
        let filter = MatchStore.PostFilter(
            takes: takes, author: request.author, since: request.since, until: request.until, hasMedia: request.hasMedia, viewer: viewer?.accountID,
            within: request.near.flatMap { point in request.radiusKm.map { (point, $0) } })
        let batchSize = max(request.limit * 2, 40)
        var shown: [PostID] = []
        var scanned = 0
        while true {
            let batch = try await MatchStore.posts(matching: query, filter: filter, before: before, limit: batchSize, on: env.database.sql)
            scanned += batch.count
            let inRange = batch.filter { candidate in
                guard let (centre, km) = filter.within else { return true }
                return candidate.point.map { centre.kilometres(to: $0) <= km } ?? false
            }.map(\.id)
            for signals in try await env.posts.visibleSignals(of: inRange, viewer: viewer)
            where signals.reactions + signals.comments + signals.shares >= request.minEngagement ?? 0 {
                shown.append(signals.id)
                if shown.count > request.limit { break }
            }
            if shown.count > request.limit {
                let page = Array(shown.prefix(request.limit))
                return (page, page.last.map { String($0.rawValue) })
            }
            guard batch.count == batchSize, let last = batch.last?.id else { return (shown, nil) }
            before = last.rawValue
            // Out of candidates to look at: continue from the last post shown, never from a hidden
            // one (its ID would tell when it was made). A page whose whole scan was hidden ends
            // the search: it fails closed.
            if scanned >= env.settings.scanLimit { return (shown, shown.last.map { String($0.rawValue) }) }
        }
    }

    /// The `limit` items of a ranked list from `offset` on, and the offset cursor of the rest.
    private static func window<Item>(_ ranked: [Item], from offset: Int, limit: Int) -> (items: [Item], next: String?) {
        let items = Array(ranked.dropFirst(offset).prefix(limit))
        let end = offset + items.count
        return (items, end < ranked.count ? String(end) : nil)
    }

    private static func postCursor(_ cursor: String?) throws -> Int64? {
        guard let cursor else { return nil }
        guard let value = OutsideInteger.parse(cursor, in: 1...Int64.max) else { throw Self.badCursor }
        return value
    }

    private static func offset(_ cursor: String?, within bound: Int) throws -> Int {
        guard let cursor else { return 0 }
        guard let value = OutsideInteger.parseInt(cursor, in: 1...bound) else { throw Self.badCursor }
        return value
    }

    private static var badCursor: AppError {
        AppError.invalid(field: "cursor", code: "invalid", message: "is not a cursor of this section")
    }
}
