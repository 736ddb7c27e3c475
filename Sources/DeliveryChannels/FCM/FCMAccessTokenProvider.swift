import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOFoundationCompat

/// Trades a signed service-account assertion for an OAuth2 access token (RFC 7523) and caches it.
struct FCMAccessTokenProvider: Sendable {
    static let scope = "https://www.googleapis.com/auth/firebase.messaging"

    /// Why no token could be had, split by whether a later attempt can succeed.
    enum Failure: Error {
        case transient(String, retryAfter: Duration?)
        case permanent(String)
    }

    private struct AssertionClaims: JWTPayload {
        var iss: String
        var scope: String
        var aud: String
        var iat: Int
        var exp: Int

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    let account: FCMServiceAccount
    let key: Insecure.RSA.PrivateKey
    let client: HTTPClient
    let cache: TokenCache
    let now: @Sendable () -> Date

    func accessToken() async throws -> String {
        try await cache.token { [self] in try await fetch() }
    }

    func invalidate(_ token: String) async {
        await cache.invalidate(token)
    }

    private func fetch() async throws -> TokenCache.Issued {
        let issuedAt = Int(now().timeIntervalSince1970)
        let collection = JWTKeyCollection()
        await collection.add(rsa: key, digestAlgorithm: .sha256, kid: account.privateKeyID.map { JWKIdentifier(string: $0) })
        let assertion = try await collection.sign(
            AssertionClaims(iss: account.clientEmail, scope: Self.scope, aud: account.tokenURI, iat: issuedAt, exp: issuedAt + 3600),
            kid: account.privateKeyID.map { JWKIdentifier(string: $0) }
        )

        var request = HTTPClientRequest(url: account.tokenURI)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = "grant_type=\(Self.formEncode("urn:ietf:params:oauth:grant-type:jwt-bearer"))&assertion=\(Self.formEncode(assertion))"
        request.body = .bytes(ByteBuffer(string: form))

        let response: PushHTTPResponse
        do {
            response = try await PushHTTP.execute(request, on: client)
        } catch {
            throw Failure.transient("token endpoint unreachable: \(error)", retryAfter: nil)
        }
        switch response.status.code {
        case 200:
            guard let token = try? JSONDecoder().decode(TokenResponse.self, from: response.body), token.expiresIn > 0 else {
                throw Failure.transient("token endpoint answered without a token", retryAfter: nil)
            }
            // Stop using it a little before it expires, so no request carries a dying token.
            let margin = min(300, token.expiresIn / 2)
            let refreshAt = now().addingTimeInterval(TimeInterval(token.expiresIn - margin))
            return TokenCache.Issued(token: token.accessToken, refreshAt: refreshAt)
        case 429, 500..<600:
            throw Failure.transient("token endpoint answered \(response.status.code)", retryAfter: response.retryAfter(now: now()))
        default:
            throw Failure.permanent("token endpoint answered \(response.status.code): \(response.bodyText)")
        }
    }

    /// application/x-www-form-urlencoded value encoding: only unreserved characters stay literal.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
