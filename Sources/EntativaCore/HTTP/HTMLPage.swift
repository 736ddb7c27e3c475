import Foundation
import HTTPTypes
import Hummingbird

/// The few HTML pages the server itself serves (the targets of mailed links). No scripts, no
/// outside resources, never framed, and no `Referer` on the way out: the pages' URLs carry tokens.
public struct HTMLPage: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var title: String
    /// Already-escaped HTML for the body.
    public var body: String

    public init(status: HTTPResponse.Status = .ok, title: String, body: String) {
        self.status = status
        self.title = title
        self.body = body
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
            input,button{font:inherit;padding:.5rem;margin:.25rem 0;width:100%;box-sizing:border-box}</style></head>
            <body><h1>\(Self.escape(title))</h1>
            \(body)
            </body></html>
            """
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
                HTTPField.Name("X-Frame-Options")!: "DENY",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Text made safe for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Reads an `application/x-www-form-urlencoded` body of at most `limit` bytes, screened like
    /// every other text from outside.
    public static func formFields(of request: Request, limit: Int = 8 * 1024) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw AppError.unsupportedMediaType("Send the form as application/x-www-form-urlencoded.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw AppError.tooLarge("A form may be at most \(limit) bytes.")
        }
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String? { part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), let value = parts.count == 2 ? decode(parts[1]) : "" else {
                throw AppError.malformed("The form is not valid URL encoding.")
            }
            if let finding = TextScreen.check(value, field: name) ?? TextScreen.check(name, field: name) {
                throw AppError.invalid(field: finding.field, code: finding.code, message: finding.message)
            }
            fields[name] = value
        }
        return fields
    }
}
