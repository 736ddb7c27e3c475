extension Unicode.Scalar {
    /// Whether this scalar belongs inside a word, hashtag or search term: letters of any script,
    /// combining marks (so `naïve` written with a combining accent stays one word), digits and `_`.
    public var isWordScalar: Bool {
        if self == "_" { return true }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
