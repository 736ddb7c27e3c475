import EntativaCore
import Foundation

/// What a new password must be: 10 or more characters, at most 72 bytes (bcrypt reads no
/// further), not among the 10,000 most common passwords, and not containing the username.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 10
    public static let maximumBytes = 72

    /// Lower-cased, from Django's list (Royce Williams' compilation), most common first.
    static let common: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("common-passwords.txt is missing from the Identity bundle") }
        return Set(text.split(whereSeparator: \.isNewline).map(String.init))
    }()

    public static func check(_ password: String, username: String, field: String, into validator: inout Validator) {
        if password.count < minimumLength {
            validator.add(field, "too_short", "must be at least \(minimumLength) characters")
        } else if password.utf8.count > maximumBytes {
            validator.add(field, "too_long", "must be at most \(maximumBytes) bytes")
        } else if common.contains(password.lowercased()) {
            validator.add(field, "too_common", "is one of the most common passwords")
        } else if !username.isEmpty, password.lowercased().contains(username.lowercased()) {
            validator.add(field, "contains_username", "must not contain the username")
        }
    }
}
