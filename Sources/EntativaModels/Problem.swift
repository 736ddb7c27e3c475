import Foundation

/// An RFC 9457 problem document, the body of every error answer.
public struct Problem: Codable, Sendable, Equatable, Error {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var errors: [FieldError]?
    public var requestId: String?

    public init(
        type: String, title: String, status: Int, detail: String? = nil,
        errors: [FieldError]? = nil, requestId: String? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.requestId = requestId
    }
}

/// One invalid field of a request: `field` is a dotted path into the body or a query parameter's name.
public struct FieldError: Codable, Sendable, Equatable {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}
