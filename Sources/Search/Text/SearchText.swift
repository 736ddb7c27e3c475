import EntativaCore
import Foundation

/// The one analyser both engines index with and every query goes through, so SQLite's FTS5 and
/// PostgreSQL's tsvector hold the same terms and answer alike (docs/search.md, "Terms").
///
/// - Folding: compatibility forms, lower case, no diacritics: "Café", "CAFE" and "ｃａｆｅ" are
///   all `cafe`.
/// - Words are runs of letters, marks, digits and `_`; hashtags and mentions are kept whole as
///   `#tag` and `@name` terms besides their bare words, so "coffee" finds "#coffee" but "#coffee"
///   finds only the tag.
/// - Han, kana and Hangul have no spaces between words: each run gives its characters and its
///   overlapping pairs ("東京タワー": 東 京 タ ワ ー 東京 京タ タワ ワー), and a query's run must match
///   all of its pairs.
public enum SearchText {
    /// Terms longer than this are cut: a term is for finding, and no word needs more.
    public static let maxTermScalars = 40

    /// Compatibility forms (which also undo full and half widths), lower case, and no
    /// combining marks outside CJK: Japanese voicing marks and Hangul syllables keep their
    /// meaning there.
    public static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for character in text.precomposedStringWithCompatibilityMapping.lowercased() {
            if let first = character.unicodeScalars.first, isIdeographic(first) {
                folded.append(contentsOf: character.unicodeScalars)
                continue
            }
            for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                folded.append(scalar)
            }
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }

    /// A piece of analysed text: a word, a tag or mention, or a run of CJK characters.
    public enum Piece: Equatable, Sendable {
        case word(String)
        case hashtag(String)
        case mention(String)
        case ideographs([String])
    }

    /// The pieces of `text`, in order. `#` and `@` start a tag or mention only at the start of a
    /// word, as in posts.
    public static func pieces(of text: String) -> [Piece] {
        let scalars = Array(fold(text).unicodeScalars)
        var pieces: [Piece] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isIdeographic(scalar) {
                var end = index
                while end < scalars.count, isIdeographic(scalars[end]) { end += 1 }
                pieces.append(.ideographs(scalars[index..<end].map { String($0) }))
                index = end
                continue
            }
            let marker = scalar == "#" || scalar == "@"
            let start = marker ? index + 1 : index
            var end = start
            while end < scalars.count, scalars[end].isWordScalar, !isIdeographic(scalars[end]) { end += 1 }
            if end > start {
                let word = String(String.UnicodeScalarView(scalars[start..<min(end, start + maxTermScalars)]))
                pieces.append(scalar == "#" ? .hashtag(word) : scalar == "@" ? .mention(word) : .word(word))
                index = end
            } else {
                index += 1
            }
        }
        return pieces
    }

    /// What a document is indexed under: every word, tag (`#x` and `x`), mention (`@x` and `x`),
    /// CJK character and CJK pair, without repeats, in first-seen order.
    public static func terms(of text: String) -> [String] {
        var seen: Set<String> = []
        var terms: [String] = []
        func add(_ term: String) { if seen.insert(term).inserted { terms.append(term) } }
        for piece in pieces(of: text) {
            switch piece {
            case .word(let word): add(word)
            case .hashtag(let tag): add("#" + tag); add(tag)
            case .mention(let name): add("@" + name); add(name)
            case .ideographs(let characters):
                characters.forEach(add)
                for pair in zip(characters, characters.dropFirst()) { add(pair.0 + pair.1) }
            }
        }
        return terms
    }

    /// What autocomplete files a name under: its words, tags and mentions, and each CJK run
    /// whole (its pairs alone would never match a query of three characters or more).
    public static func names(of text: String) -> [String] {
        var seen: Set<String> = []
        return pieces(of: text).map { piece -> String in
            switch piece {
            case .word(let word), .hashtag(let word), .mention(let word): word
            case .ideographs(let characters): characters.joined()
            }
        }.filter { seen.insert($0).inserted }
    }

    /// The term a hashtag is indexed under: `#` and its folded name.
    public static func hashtagTerm(_ tag: String) -> String { "#" + String(String.UnicodeScalarView(fold(tag).unicodeScalars.prefix(maxTermScalars))) }

    /// Han, kana and Hangul: scripts written without spaces between words.
    static func isIdeographic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x309B, 0x309C, 0x30A0, 0x30FB:  // kana voicing marks and punctuation: not letters
            return false
        case 0x3040...0x30FF, 0x31F0...0x31FF,  // hiragana, katakana
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F,  // Han
            0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF:  // Hangul
            return true
        default:
            return false
        }
    }
}
