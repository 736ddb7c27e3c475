/// One typo: an inserted, deleted or substituted letter, or two neighbours swapped
/// (Damerau–Levenshtein distance 1), the kind people make when typing.
enum Typos {
    /// Whether `a` and `b` differ by exactly one typo.
    static func oneApart(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x == y { return false }
        if x.count == y.count {
            let differing = x.indices.filter { x[$0] != y[$0] }
            if differing.count == 1 { return true }
            return differing.count == 2 && differing[1] == differing[0] + 1
                && x[differing[0]] == y[differing[1]] && x[differing[1]] == y[differing[0]]
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return false }
        var i = 0
        while i < short.count, long[i] == short[i] { i += 1 }
        return long[(i + 1)...].elementsEqual(short[i...])
    }

    /// `word` and every string one letter shorter: two words one typo apart always share one
    /// of these (for a swap, dropping either swapped letter gives the same string).
    static func deletionVariants(of word: String) -> [String] {
        let scalars = Array(word.unicodeScalars)
        var variants: Set<String> = [word]
        for index in scalars.indices {
            var shorter = scalars
            shorter.remove(at: index)
            variants.insert(String(String.UnicodeScalarView(shorter)))
        }
        return variants.sorted()
    }

    /// The swaps of two neighbouring letters: the one typo trigram similarity can rate too low.
    static func transpositions(of word: String) -> [String] {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count > 1 else { return [] }
        return Set((0..<(scalars.count - 1)).compactMap { index -> String? in
            guard scalars[index] != scalars[index + 1] else { return nil }
            var swapped = scalars
            swapped.swapAt(index, index + 1)
            return String(String.UnicodeScalarView(swapped))
        }).sorted()
    }
}
