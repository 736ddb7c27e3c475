/// What the search box asked for, as groups of terms: a match has, for every group, one of its
/// terms (or a term starting with its prefix). Built by the analyser, then widened with typo
/// neighbours, then written in the engine's own syntax with every term quoted, so nothing a
/// user types becomes query syntax.
struct SearchQuery: Sendable, Equatable {
    struct Group: Sendable, Equatable {
        /// Terms that match exactly.
        var terms: [String]
        /// A term that matches every term starting with it (the word being typed).
        var prefix: String?
        /// The word typo neighbours may stand in for: a word of at least `typoMinimum` letters
        /// and nothing else (no digits, no `_`).
        var typoCandidate: String?
    }

    var groups: [Group]

    /// Words shorter than this get no typo tolerance: one edit away from a short word is
    /// another word ("cat", "car").
    static let typoMinimum = 5
    /// Groups beyond this are dropped: every group is one more condition on the index.
    static let maxGroups = 8

    var isEmpty: Bool { groups.isEmpty }

    /// The query `text` asks for. Its last word is a prefix unless the text ends in a space: the
    /// user is still typing it.
    init(_ text: String) {
        let pieces = SearchText.pieces(of: text)
        let stillTyping = !(text.last?.isWhitespace ?? true)
        var groups: [Group] = []
        for (index, piece) in pieces.enumerated() {
            // A prefix of one letter matches a large part of any vocabulary: it waits for a second.
            let last = index == pieces.count - 1 && stillTyping && piece.length >= 2
            switch piece {
            case .word(let word):
                let typo = word.unicodeScalars.count >= Self.typoMinimum && word.unicodeScalars.allSatisfy(\.properties.isAlphabetic) ? word : nil
                groups.append(last ? Group(terms: [], prefix: word, typoCandidate: typo) : Group(terms: [word], typoCandidate: typo))
            case .hashtag(let tag):
                groups.append(last ? Group(terms: [], prefix: "#" + tag) : Group(terms: ["#" + tag]))
            case .mention(let name):
                groups.append(last ? Group(terms: [], prefix: "@" + name) : Group(terms: ["@" + name]))
            case .ideographs(let characters):
                if characters.count == 1 {
                    groups.append(Group(terms: characters))
                } else {
                    for pair in zip(characters, characters.dropFirst()) { groups.append(Group(terms: [pair.0 + pair.1])) }
                }
            }
        }
        self.groups = Array(groups.prefix(Self.maxGroups))
    }

    init(groups: [Group]) { self.groups = groups }

    /// This query with `@` taken off mentions: accounts are indexed by their bare names.
    var mentionsAsNames: SearchQuery {
        func bare(_ term: String) -> String { term.hasPrefix("@") ? String(term.dropFirst()) : term }
        return SearchQuery(groups: groups.map { Group(terms: $0.terms.map(bare), prefix: $0.prefix.map(bare), typoCandidate: $0.typoCandidate) })
    }

    /// The plain words typo tolerance may widen.
    var typoCandidates: [String] { groups.compactMap(\.typoCandidate) }

    /// This query with each typo candidate's group also matching its `neighbours`.
    func widened(with neighbours: [String: [String]]) -> SearchQuery {
        SearchQuery(groups: groups.map { group in
            guard let word = group.typoCandidate, let more = neighbours[word], !more.isEmpty else { return group }
            var widened = group
            widened.terms += more.filter { !widened.terms.contains($0) }
            return widened
        })
    }

    /// FTS5's MATCH syntax: `("a" OR "b") AND "pre"*`. Every term is a quoted string, so `"`,
    /// `*`, `NEAR` or `-` typed by a user are text.
    var fts5: String {
        groups.map { group in
            var alternatives = group.terms.map(Self.fts5Quoted)
            if let prefix = group.prefix { alternatives.append(Self.fts5Quoted(prefix) + "*") }
            return alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
    }

    /// PostgreSQL's tsquery input syntax: `('a' | 'b') & 'pre':*`, cast rather than parsed by
    /// `to_tsquery`, so terms are taken as they are (no stemming, no splitting).
    var tsquery: String {
        groups.map { group in
            var alternatives = group.terms.map(Self.lexeme)
            if let prefix = group.prefix { alternatives.append(Self.lexeme(prefix) + ":*") }
            return alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " | ") + ")"
        }.joined(separator: " & ")
    }

    static func fts5Quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A term in tsvector and tsquery input syntax.
    static func lexeme(_ term: String) -> String {
        "'" + term.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}

extension SearchText.Piece {
    /// Letters in a word, tag or mention; characters in a CJK run.
    var length: Int {
        switch self {
        case .word(let text), .hashtag(let text), .mention(let text): text.unicodeScalars.count
        case .ideographs(let characters): characters.count
        }
    }
}
