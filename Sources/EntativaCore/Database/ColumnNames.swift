import SQLKit
import Synchronization

/// The snake_case column of each camelCase property, as SQLKit's `convertFromSnakeCase`
/// strategy names it. SQLKit converts the name again for every column of every row it decodes:
/// on the message relay that was a tenth of the server's CPU. There are a few hundred property
/// names, so each is converted once and remembered.
enum ColumnNames {
    static let strategy = SQLRowDecoder.KeyDecodingStrategy.custom { keys in
        ColumnKey(stringValue: column(for: keys.last?.stringValue ?? ""))
    }

    private static let known = Mutex<[String: String]>([:])

    static func column(for property: String) -> String {
        if let column = known.withLock({ $0[property] }) { return column }
        let column = snakeCase(property)
        known.withLock { $0[property] = column }
        return column
    }

    /// SQLKit's rule, step for step: from the second letter on, each capital starts a word; a
    /// run of capitals followed by lower-case letters gives its last capital to the next word
    /// ("fooBARbaz" is foo, BA, Rbaz); and only each word's first letter is lowered ("userID"
    /// is `user_iD`).
    static func snakeCase(_ property: String) -> String {
        let letters = Array(property)
        guard !letters.isEmpty else { return "" }
        var words: [ArraySlice<Character>] = []
        var wordStart = 0
        var searchFrom = 1
        while let capital = letters[min(searchFrom, letters.count)...].firstIndex(where: \.isUppercase) {
            words.append(letters[wordStart..<capital])
            wordStart = capital
            guard let lower = letters[capital...].firstIndex(where: \.isLowercase) else { break }
            searchFrom = lower
            if lower != capital + 1 {
                words.append(letters[capital..<(lower - 1)])
                wordStart = lower - 1
            }
        }
        words.append(letters[wordStart...])
        return words.map { word in (word.first.map { $0.lowercased() } ?? "") + String(word.dropFirst()) }.joined(separator: "_")
    }
}

private struct ColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
