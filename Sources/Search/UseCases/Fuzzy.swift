import EntativaCore
import SQLKit

/// Typo tolerance: a word of five letters or more also matches the terms one typo away from it
/// (`Typos.oneApart`) that more documents were indexed with than with the word itself, the
/// five most used first. A misspelling is rarer than the word it misspells, and a real word
/// that happens to be one letter from another keeps to itself.
enum Fuzzy {
    static let maxNeighbours = 5

    /// Terms filed under their deletion variants (SQLite): words of letters only, long enough to
    /// be a five-letter query's neighbour.
    static func indexesVariants(_ term: String) -> Bool {
        (SearchQuery.typoMinimum - 1...SearchText.maxTermScalars).contains(term.unicodeScalars.count)
            && term.unicodeScalars.allSatisfy(\.properties.isAlphabetic)
    }

    static func neighbours(of words: [String], on db: any SQLDatabase) async throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        for word in Set(words) {
            let candidates = try await MatchStore.neighbourCandidates(of: word, on: db)
            let own = candidates[word] ?? 0
            found[word] = candidates.filter { $0.key != word && $0.value > own && Typos.oneApart($0.key, word) }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(maxNeighbours).map(\.key)
        }
        return found
    }
}
