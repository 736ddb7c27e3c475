import EntativaModels
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Decodes JSON bodies with the shared conventions and turns decoding failures into answers a
/// client can act on: 400 for what is not JSON, 422 with the offending field for what is.
public struct APIRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        if let contentType = request.headers[.contentType], !contentType.lowercased().contains("json") {
            throw AppError.unsupportedMediaType("Send the body as application/json.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw AppError.tooLarge("A JSON body may be at most \(context.maxUploadSize) bytes.")
        }
        return try Self.decode(type, from: Data(buffer: buffer))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw AppError.malformed("The request needs a JSON body.") }
        if let finding = TextScreen.check(json: data) {
            throw AppError.invalid(field: finding.field, code: finding.code, message: finding.message)
        }
        do {
            return try EntativaJSON.decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw translate(error)
        }
    }

    static func translate(_ error: DecodingError) -> AppError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(field: path(context.codingPath + [key]), code: "required", message: "is required")
        case .valueNotFound(_, let context):
            return .invalid(field: path(context.codingPath), code: "required", message: "must not be null")
        case .typeMismatch(let type, let context):
            return .invalid(field: path(context.codingPath), code: "type", message: "must be \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .malformed("The body is not valid JSON.")
            }
            // Our own types explain themselves (`WireEnum`, `Identifier`); the standard library's
            // messages name Swift types, which are nobody's business.
            let message = context.debugDescription.contains("Cannot initialize") ? "is not an allowed value" : context.debugDescription
            return .invalid(field: path(context.codingPath), code: "invalid", message: message)
        @unknown default:
            return .malformed("The body could not be read.")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map(String.init) ?? snakeCase(key.stringValue) }.joined(separator: ".")
    }

    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "an integer"
        case is [String].Type: "an array of strings"
        default: "of another type"
        }
    }
}

public struct APIResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let body: ByteBuffer
        if let writable = value as? any JSONWritable {
            body = ByteBuffer(bytes: writable.jsonBytes())
        } else {
            body = ByteBuffer(bytes: try EntativaJSON.encoder().encode(value))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}

extension Request {
    /// Decodes the body with the API conventions, whatever context the route has.
    public func decodeJSON<T: Decodable>(as type: T.Type, context: some AppContextProtocol) async throws -> T {
        try await APIRequestDecoder().decode(type, from: self, context: context)
    }

    /// For routes whose body is optional: nil when the body is empty.
    public func decodeJSONIfPresent<T: Decodable>(as type: T.Type, context: some AppContextProtocol) async throws -> T? {
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw AppError.tooLarge("A JSON body may be at most \(context.maxUploadSize) bytes.")
        }
        guard buffer.readableBytes > 0 else { return nil }
        if let contentType = headers[.contentType], !contentType.lowercased().contains("json") {
            throw AppError.unsupportedMediaType("Send the body as application/json.")
        }
        return try APIRequestDecoder.decode(type, from: Data(buffer: buffer))
    }
}

/// A handler's JSON answer, with the status and headers it needs. Wire DTOs stay free of
/// server protocols this way.
public struct Reply<Value: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var value: Value
    public var headers: HTTPFields

    public init(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.value = value
        self.status = status
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIResponseEncoder().encode(value, from: request, context: context)
        response.status = status
        for field in headers { response.headers.append(field) }
        return response
    }
}

extension Response {
    public static var noContent: Response { Response(status: .noContent) }
}
