import Crypto
import EntativaCore
import Foundation

/// AWS Signature Version 4 (header form), as S3 and every S3-compatible store expect it.
/// The signer only computes; the caller must send exactly the headers it returns and a URL
/// built from `canonicalURI` and `canonicalQuery`, or the server computes a different signature.
public struct SigV4Signer: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String
    public var service: String

    /// The payload hash for bodies that are streamed and not hashed in advance.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    public static let emptyPayloadHash = payloadHash(Data())

    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String = "s3") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    public static func payloadHash(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Signs one request and answers every header to send with it: `headers` plus `host`,
    /// `x-amz-date`, `x-amz-content-sha256` and `authorization`, all with lower-cased names.
    /// Every header passed in is signed, so pass only headers whose value will not change in transit.
    ///
    /// - Parameters:
    ///   - host: the Host header value, with `:port` when the port is not the scheme's default.
    ///   - path: the decoded path (`/bucket/media/1/a.jpg`); it is encoded here.
    ///   - query: decoded query parameters; order does not matter.
    ///   - payloadHash: the hex SHA-256 of the body, or `unsignedPayload`.
    public func sign(
        method: String, host: String, path: String, query: [(String, String)] = [],
        headers: [String: String] = [:], payloadHash: String, date: Date = Date()
    ) -> [String: String] {
        let (day, stamp) = Self.timestamps(date)
        var all: [String: String] = [:]
        for (name, value) in headers {
            all[name.lowercased()] = Self.normalisedHeaderValue(value)
        }
        all["host"] = host
        all["x-amz-date"] = stamp
        all["x-amz-content-sha256"] = payloadHash

        let names = all.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(all[$0]!)\n" }.joined()
        let canonicalRequest = [
            method.uppercased(), Self.canonicalURI(path), Self.canonicalQuery(query),
            canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day)))

        all["authorization"] =
            "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)"
        return all
    }

    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// S3 encodes each path segment once (unlike other services, which encode twice) and keeps `/`.
    public static func canonicalURI(_ path: String) -> String {
        let encoded = uriEncode(path, keepSlash: true)
        return encoded.isEmpty ? "/" : encoded
    }

    /// Sorted by name, then value; the same string is used as the URL's query so both sides agree.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { name, value in
            (uriEncode(name, keepSlash: false), uriEncode(value, keepSlash: false))
        }
        let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// RFC 3986 unreserved characters stay; every other byte becomes `%XX` with upper-case hex,
    /// which is stricter than `addingPercentEncoding` (that keeps `+`, `=`, `&` …).
    static func uriEncode(_ string: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    static func normalisedHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `yyyyMMdd` for the scope and `yyyyMMdd'T'HHmmss'Z'` for `x-amz-date`, always in UTC.
    static func timestamps(_ date: Date) -> (day: String, stamp: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
        return (day, day + String(format: "T%02d%02d%02dZ", c.hour!, c.minute!, c.second!))
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.lowercaseHex
    }
}
