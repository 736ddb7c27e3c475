import EntativaCore
import EntativaModels
import Foundation
import Posts
import SQLKit

/// Brings the index in line with what accounts and posts are now. Each call re-reads its
/// sources, so it is idempotent and indifferent to the order events arrive in: a document that
/// is gone or hidden from everyone (deleted, suspended) leaves the index.
struct Indexer: Sendable {
    let env: SearchEnvironment

    func indexAccounts(_ ids: [AccountID]) async throws {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return }
        // Seen by no one in particular: suspended and deleted accounts are left out, private
        // ones are found (their posts stay theirs to show).
        let accounts = Dictionary(uniqueKeysWithValues: try await env.profiles.accounts(unique, viewer: nil).map { ($0.id, $0) })
        let now = env.now
        try await env.database.transaction { db in
            for id in unique {
                guard let account = accounts[id] else {
                    try await IndexStore.removeAccount(id, on: db)
                    continue
                }
                let terms = Self.terms(username: account.username, displayName: account.displayName)
                let document = IndexStore.AccountDocument(
                    id: id, usernameKey: SearchText.fold(account.username), displayKey: SearchText.fold(account.displayName),
                    followers: account.followersCount, terms: terms)
                if try await IndexStore.put(document, now: now, on: db) { try await IndexStore.count(terms, on: db) }
            }
        }
    }

    /// An account is found by its username (whole, and each part between underscores) and
    /// the words of its display name.
    static func terms(username: String, displayName: String) -> [String] {
        let name = SearchText.fold(username)
        var terms = [name] + name.split(separator: "_").map(String.init)
        terms += SearchText.terms(of: displayName)
        var seen: Set<String> = []
        return terms.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    func indexPosts(_ ids: [PostID]) async throws {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return }
        let posts = try await env.searchablePosts.posts(unique)
        let takes = try await env.takes.takes(among: posts.map(\.id))
        // Hashtag counts cover public posts by public, active accounts only: nothing else may
        // show in a number anyone can read.
        let publicAuthors = Set(try await env.profiles.accounts(Array(Set(posts.map(\.author))), viewer: nil, counts: false)
            .filter { !$0.isPrivate }.map(\.id))
        let byID = Dictionary(uniqueKeysWithValues: posts.map { ($0.id, $0) })
        let now = env.now
        let ids = env.kernel.ids
        try await env.database.transaction { db in
            for id in unique {
                guard let post = byID[id] else {
                    try await IndexStore.removePost(id, on: db)
                    try await IndexStore.removeHashtagUses(of: id, on: db)
                    try await Self.refilePlaces(try await PlaceStore.removePost(id, on: db), on: db)
                    continue
                }
                let terms = Self.terms(of: post)
                let document = IndexStore.PostDocument(
                    id: id, author: post.author, isTake: takes.contains(id), audience: post.audience.rawValue, hasMedia: post.hasMedia,
                    createdAt: post.createdAt, terms: terms)
                let counted = post.audience == .public && publicAuthors.contains(post.author)
                // The vocabulary counts public posts only: which neighbours a typo gets must not
                // depend on what the searcher may not see.
                if try await IndexStore.put(document, now: now, on: db), counted { try await IndexStore.count(terms, on: db) }
                let tags = counted ? post.hashtags.map { (key: SearchText.fold($0), name: $0) } : []
                try await IndexStore.setPublicHashtags(Self.unique(tags), of: id, by: post.author, at: post.createdAt, on: db)
                try await PlaceStore.setPostLocation(id, lat: post.location?.latitude, lon: post.location?.longitude, on: db)
                let place = counted ? post.location.flatMap(Self.place) : nil
                try await Self.refilePlaces(try await PlaceStore.setPublicUse(of: id, at: place.map { ($0, ids.next()) }, on: db), on: db)
            }
        }
    }

    /// A post is found by the words of its text, its hashtags (`#tag` and `tag`) and the
    /// usernames it mentions (`@name` and `name`).
    static func terms(of post: SearchablePost) -> [String] {
        var terms = SearchText.terms(of: post.text)
        for tag in post.hashtags { terms += [SearchText.hashtagTerm(tag), SearchText.fold(tag)] }
        for name in post.mentions { terms += ["@" + SearchText.fold(name), SearchText.fold(name)] }
        var seen: Set<String> = []
        return terms.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// A post's location as a place: its folded name within a cell of about 100 m.
    static func place(_ location: PostLocation) -> PlaceStore.Named? {
        let key = SearchText.fold(location.name).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !key.isEmpty else { return nil }
        // The cell's centre, not the post's own point: a place must not keep one person's exact
        // coordinates once their post is gone or narrowed.
        let (lat, lon) = ((location.latitude * 1000).rounded() / 1000, (location.longitude * 1000).rounded() / 1000)
        return PlaceStore.Named(name: location.name, key: key, cell: String(format: "%.3f,%.3f", lat, lon), lat: lat, lon: lon)
    }

    /// Autocomplete lists a place while a public post names it, under its uses' bucket.
    static func refilePlaces(_ changes: [(id: Int64, key: String, before: Int64, after: Int64)], on db: any SQLDatabase) async throws {
        for change in changes {
            let prefixes = Prefixes.of(SearchText.names(of: change.key))
            try await PrefixStore.refile(
                .place, entity: String(change.id),
                from: change.before > 0 ? PrefixStore.Filing(prefixes: prefixes, score: Prefixes.bucket(change.before)) : nil,
                to: change.after > 0 ? PrefixStore.Filing(prefixes: prefixes, score: Prefixes.bucket(change.after)) : nil, on: db)
        }
    }

    private static func unique(_ tags: [(key: String, name: String)]) -> [(key: String, name: String)] {
        var seen: Set<String> = []
        return tags.filter { !$0.key.isEmpty && seen.insert($0.key).inserted }
    }

    /// Re-indexes every post of `author` the index holds, a batch at a time: whether its
    /// hashtags count follows the author's privacy.
    func reindexPosts(of author: AccountID) async throws {
        let ids = try await IndexStore.posts(by: author, on: env.database.sql)
        for start in stride(from: 0, to: ids.count, by: 200) {
            try await indexPosts(Array(ids[start..<min(start + 200, ids.count)]))
        }
    }
}
