import Foundation

/// What autocomplete files an entity under: the prefixes of its names, and its popularity as a
/// bucket, so a change in followers or uses rewrites its rows only when the bucket moves.
enum Prefixes {
    /// Prefixes longer than this are not filed: a query that long is cut to it and checked
    /// against the full names.
    static let maxLength = 20

    enum Kind: Int, Sendable {
        case account = 0
        case hashtag = 1
        case place = 2
    }

    /// `word` as filed: at most `maxLength` characters.
    static func cut(_ word: String) -> String {
        String(String.UnicodeScalarView(word.unicodeScalars.prefix(maxLength)))
    }

    /// ⌊4 · log₂(1 + count)⌋: doubling the count adds four.
    static func bucket(_ count: Int64) -> Int64 {
        Int64((4 * log2(1 + Double(max(0, count)))).rounded(.down))
    }

    /// Every prefix, 1 to `maxLength` characters, of each of `keys`.
    static func of(_ keys: [String]) -> Set<String> {
        var prefixes: Set<String> = []
        for key in keys {
            let scalars = Array(key.unicodeScalars)
            for length in stride(from: 1, through: min(scalars.count, maxLength), by: 1) {
                prefixes.insert(String(String.UnicodeScalarView(scalars[0..<length])))
            }
        }
        return prefixes
    }

    /// An account's keys: its username, each part of it between underscores, and each term of
    /// its display name.
    static func accountKeys(usernameKey: String, displayKey: String) -> [String] {
        [usernameKey] + usernameKey.split(separator: "_").map(String.init) + SearchText.names(of: displayKey)
    }
}
