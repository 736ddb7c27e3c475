import EntativaModels
import Foundation

/// An error a use case raises on purpose. The HTTP layer renders it as problem+json; everything
/// else thrown becomes a logged 500 with no detail.
public struct AppError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var title: String
    public var detail: String?
    public var fieldErrors: [FieldError]
    public var retryAfterSeconds: Int?

    public init(
        status: Int, code: String, title: String, detail: String? = nil,
        fieldErrors: [FieldError] = [], retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var problem: Problem {
        Problem(
            type: "https://entativa.dev/problems/\(code)", title: title, status: status, detail: detail,
            errors: fieldErrors.isEmpty ? nil : fieldErrors)
    }

    public static func malformed(_ detail: String) -> AppError {
        AppError(status: 400, code: "malformed-request", title: "Malformed request", detail: detail)
    }

    public static func unauthenticated(_ detail: String = "A valid access token is required.") -> AppError {
        AppError(status: 401, code: "unauthenticated", title: "Unauthenticated", detail: detail)
    }

    public static func forbidden(_ detail: String) -> AppError {
        AppError(status: 403, code: "forbidden", title: "Forbidden", detail: detail)
    }

    /// Also the answer for things that exist but are not visible to the caller.
    public static func notFound(_ what: String = "resource") -> AppError {
        AppError(status: 404, code: "not-found", title: "Not found", detail: "No such \(what).")
    }

    public static func conflict(_ detail: String, code: String = "conflict") -> AppError {
        AppError(status: 409, code: code, title: "Conflict", detail: detail)
    }

    public static func tooLarge(_ detail: String) -> AppError {
        AppError(status: 413, code: "too-large", title: "Content too large", detail: detail)
    }

    public static func unsupportedMediaType(_ detail: String) -> AppError {
        AppError(status: 415, code: "unsupported-media-type", title: "Unsupported media type", detail: detail)
    }

    public static func invalid(_ errors: [FieldError]) -> AppError {
        AppError(
            status: 422, code: "validation-failed", title: "Validation failed",
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), fieldErrors: errors)
    }

    public static func invalid(field: String, code: String, message: String) -> AppError {
        invalid([FieldError(field: field, code: code, message: message)])
    }

    public static func rateLimited(retryAfter seconds: Int) -> AppError {
        AppError(
            status: 429, code: "rate-limited", title: "Too many requests",
            detail: "Try again in \(seconds) seconds.", retryAfterSeconds: max(1, seconds))
    }

    public static func unavailable(_ detail: String) -> AppError {
        AppError(status: 503, code: "unavailable", title: "Service unavailable", detail: detail)
    }
}

/// Collects every invalid field of a request before failing, so a client sees all of them at once.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    public mutating func check(_ condition: Bool, _ field: String, _ code: String, _ message: String) {
        if !condition { add(field, code, message) }
    }

    /// Lengths are counted in Unicode scalars, never in grapheme clusters: one "character" may
    /// carry any number of combining marks, so a grapheme limit bounds nothing. A scalar is at
    /// most 4 UTF-8 bytes, so this bounds the bytes stored too.
    /// Single-line fields also refuse tab and line breaks; `allowingLineBreaks` is for text that
    /// may span lines (posts, comments, bios, alt text). Other control characters never reach
    /// here: `TextScreen` refused them while decoding.
    public mutating func length(_ value: String?, _ field: String, max: Int, min: Int = 0, allowingLineBreaks: Bool = false) {
        guard let value else { return }
        if !allowingLineBreaks, value.unicodeScalars.contains(where: { TextScreen.isForbidden($0, allowingLineBreaks: false) }) {
            add(field, "control_character", "must be a single line without tabs or control characters")
        }
        let count = value.unicodeScalars.count
        if count > max { add(field, "too_long", "must be at most \(max) characters") }
        if count < min { add(field, "too_short", "must be at least \(min) characters") }
    }

    public func validate() throws {
        if !errors.isEmpty { throw AppError.invalid(errors) }
    }
}
