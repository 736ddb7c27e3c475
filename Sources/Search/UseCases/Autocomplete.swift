import EntativaCore
import EntativaModels
import Foundation

/// `GET /api/v1/search/autocomplete`: accounts and hashtags whose names start with what is being
/// typed, from autocomplete's prefix rows (one primary-key range each), most popular first;
/// accounts the searcher follows or is friends with come first among equals and are found
/// however unpopular (docs/search.md, "Autocomplete").
struct Autocomplete: Sendable {
    let env: SearchEnvironment
    static let maxLimit = 20
    /// Popularity buckets a followed account or friend gains: 12 is what 8 times the followers would.
    static let circleBoost: Int64 = 12

    func suggest(_ text: String, limit: Int, viewer: Principal?) async throws -> AutocompleteResults {
        let words = SearchText.names(of: text)
        var validator = Validator()
        validator.check(!words.isEmpty, "q", "no_terms", "must contain a word, a hashtag or a mention")
        try validator.validate()
        let marker = text.first { !$0.isWhitespace }
        let accounts = marker == "#" ? [] : try await self.accounts(words, limit: limit, viewer: viewer)
        let hashtags = marker == "@" ? [] : try await self.hashtags(words.joined(), limit: limit)
        let places = marker == "@" || marker == "#" ? [] : try await Places(env: env).named(words, around: nil, limit: limit)
        return AutocompleteResults(accounts: accounts, hashtags: hashtags, places: places)
    }

    private func accounts(_ words: [String], limit: Int, viewer: Principal?) async throws -> [Account] {
        let db = env.database.sql
        let prefix = Prefixes.cut(words[0])
        var scores: [AccountID: Int64] = [:]
        for (entity, score) in try await PrefixStore.top(.account, prefix: prefix, limit: limit * 4, on: db) {
            if let id = AccountID(entity) { scores[id] = score }
        }
        if let viewer {
            for member in try await env.circles.members(of: viewer.accountID) where member.keys.contains(where: { $0.hasPrefix(prefix) }) {
                scores[member.id] = Prefixes.bucket(member.followers) + Self.circleBoost
            }
        }
        // Further words narrow: each must start one of the account's names.
        let others = words.dropFirst().map(Prefixes.cut)
        if !others.isEmpty {
            let keys = Dictionary(uniqueKeysWithValues: try await IndexStore.accountKeys(Array(scores.keys), on: db).map { ($0.id, $0.keys) })
            scores = scores.filter { id, _ in others.allSatisfy { word in keys[id]?.contains { $0.hasPrefix(word) } == true } }
        }
        let ranked = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key > $1.key }.map(\.key)
        // Some may be hidden from the viewer (blocks, suspension): ask for a few more.
        return Array(try await env.profiles.accounts(Array(ranked.prefix(limit * 2)), viewer: viewer).prefix(limit))
    }

    private func hashtags(_ word: String, limit: Int) async throws -> [HashtagHit] {
        let db = env.database.sql
        let top = try await PrefixStore.top(.hashtag, prefix: Prefixes.cut(word), limit: limit, on: db).map(\.entity)
        let rows = Dictionary(uniqueKeysWithValues: try await MatchStore.hashtags(top, on: db).map { ($0.tag, $0) })
        return top.compactMap { tag in
            guard let row = rows[tag], row.tag.hasPrefix(word) else { return nil }
            return HashtagHit(name: row.name, uses: Int(row.publicUses), lastUsedAt: Date(millisecondsSince1970: row.lastUsedAt))
        }
    }
}
