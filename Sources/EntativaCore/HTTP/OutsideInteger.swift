/// Integers that come from outside (path, query, header, tus header, cursor, probe output) are
/// read here and nowhere else: plain decimal digits only — no sign, no `+`, no spaces, no
/// exponent — and only inside the range the caller can do arithmetic with. Swift traps on
/// overflow, so a value that merely parses is not yet safe to multiply.
public enum OutsideInteger {
    /// The value of `text` when it is 1–19 ASCII digits and lies in `range`; otherwise nil.
    public static func parse(_ text: some StringProtocol, in range: ClosedRange<Int64>) -> Int64? {
        guard text.utf8.count <= 19, isDigits(text) else { return nil }
        guard let value = Int64(text), range.contains(value) else { return nil }
        return value
    }

    /// True when `text` is one or more ASCII digits and nothing else.
    public static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// As `parse`, for values that are counts or sizes an `Int` holds.
    public static func parseInt(_ text: some StringProtocol, in range: ClosedRange<Int>) -> Int? {
        parse(text, in: Int64(range.lowerBound)...Int64(range.upperBound)).map { Int($0) }
    }

    /// Every positive value an ID or a cursor made of IDs may take.
    public static let positive: ClosedRange<Int64> = 1...Int64.max
    /// Zero and up.
    public static let nonNegative: ClosedRange<Int64> = 0...Int64.max
}
