import EntativaCore
import Foundation

/// Hashtags and mentions found in a post or comment. Scanning is by Unicode scalar property,
/// so `#café`, `#日本語` and `#naïve` (with a combining accent) are whole tags.
struct PostText: Sendable, Equatable {
    /// Normalised names (NFKC, lower case), first appearance first, without repeats.
    var hashtags: [String] = []
    /// Usernames as written, without repeats (case-insensitively).
    var mentions: [String] = []

    static let maxHashtags = 30
    static let maxMentions = 20
    static let maxHashtagLength = 100

    init(hashtags: [String] = [], mentions: [String] = []) {
        self.hashtags = hashtags
        self.mentions = mentions
    }

    init(scanning text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var seenTags: Set<String> = []
        var seenNames: Set<String> = []
        while index < scalars.count {
            let scalar = scalars[index]
            let startsToken = index == 0 || !Self.joinsWord(scalars[index - 1])
            guard startsToken, scalar == "#" || scalar == "@" else {
                index += 1
                continue
            }
            var end = index + 1
            if scalar == "#" {
                while end < scalars.count, Self.isTagScalar(scalars[end]) { end += 1 }
                let body = scalars[(index + 1)..<end]
                if body.contains(where: { $0.properties.isAlphabetic }) {
                    let name = Self.normalise(String(String.UnicodeScalarView(body)))
                    if name.unicodeScalars.count <= Self.maxHashtagLength, hashtags.count < Self.maxHashtags, seenTags.insert(name).inserted {
                        hashtags.append(name)
                    }
                }
            } else {
                while end < scalars.count, Self.isUsernameScalar(scalars[end]) { end += 1 }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                // `@bob.` ends a sentence; `@bob@elsewhere` or `@bob_é` names someone else.
                let followedByWord = end < scalars.count && (Self.isTagScalar(scalars[end]) || scalars[end] == "@")
                if (3...30).contains(name.count), !followedByWord, mentions.count < Self.maxMentions,
                    seenNames.insert(name.lowercased()).inserted
                {
                    mentions.append(name)
                }
            }
            index = max(end, index + 1)
        }
    }

    /// The form a hashtag is stored and looked up in.
    static func normalise(_ tag: String) -> String {
        tag.precomposedStringWithCompatibilityMapping.lowercased()
    }

    static func isTagScalar(_ scalar: Unicode.Scalar) -> Bool { scalar.isWordScalar }

    static func isUsernameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
    }

    /// A `#` or `@` right after one of these is part of a word, a URL or an address, not a tag.
    static func joinsWord(_ scalar: Unicode.Scalar) -> Bool {
        isTagScalar(scalar) || "@#/&.:-".unicodeScalars.contains(scalar)
    }
}
