import EntativaModels
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A typed client of the Entativa API. Signed-in calls carry the stored access token and, when
/// it has expired, refresh it once and retry.
public final class EntativaClient: Sendable {
    public let baseURL: URL
    public let tokens: TokenStore
    let session: URLSession
    let userAgent: String

    public init(baseURL: URL, tokens: TokenStore = TokenStore(), session: URLSession = .shared, userAgent: String = "EntativaKit/0.1") {
        self.baseURL = baseURL
        self.tokens = tokens
        self.session = session
        self.userAgent = userAgent
    }

    enum Auth {
        case none
        case optional
        case required
    }

    struct Empty: Codable, Sendable {}

    /// Sends one request and decodes the answer; `Output == Empty` accepts an empty body.
    func send<Output: Decodable & Sendable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: (any Encodable & Sendable)? = nil,
        rawBody: (data: Data, contentType: String)? = nil, auth: Auth = .required, idempotencyKey: String? = nil, headers: [String: String] = [:],
        as: Output.Type = Output.self
    ) async throws -> Output {
        var retried = false
        while true {
            let token = await tokens.current?.accessToken
            if auth == .required && token == nil { throw EntativaError.notSignedIn }
            var request = try makeRequest(method, path, query: query, body: body, token: auth == .none ? nil : token, idempotencyKey: idempotencyKey)
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if let rawBody {
                request.httpBody = rawBody.data
                request.setValue(rawBody.contentType, forHTTPHeaderField: "Content-Type")
            }
            let (data, status) = try await perform(request)
            if status == 401, auth != .none, token != nil, !retried {
                retried = true
                _ = try await tokens.refresh(failedAccessToken: token) { [self] refreshToken in try await self.refreshTokens(refreshToken) }
                continue
            }
            return try decode(Output.self, data: data, status: status)
        }
    }

    func makeRequest(
        _ method: String, _ path: String, query: [URLQueryItem], body: (any Encodable & Sendable)?, token: String?, idempotencyKey: String?
    ) throws -> URLRequest {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = try EntativaJSON.encoder().encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let idempotencyKey { request.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key") }
        return request
    }

    func perform(_ request: URLRequest) async throws -> (Data, Int) {
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw EntativaError.transport("not an HTTP answer") }
            return (data, http.statusCode)
        } catch let error as EntativaError {
            throw error
        } catch {
            throw EntativaError.transport(String(describing: error))
        }
    }

    func decode<Output: Decodable>(_ type: Output.Type, data: Data, status: Int) throws -> Output {
        guard (200..<300).contains(status) else {
            if let problem = try? EntativaJSON.decoder().decode(Problem.self, from: data) { throw EntativaError.problem(problem) }
            throw EntativaError.unexpectedResponse(status: status, body: String(decoding: data, as: UTF8.self))
        }
        if Output.self == Empty.self, data.isEmpty { return Empty() as! Output }
        do {
            return try EntativaJSON.decoder().decode(Output.self, from: data)
        } catch {
            throw EntativaError.unexpectedResponse(status: status, body: String(decoding: data, as: UTF8.self))
        }
    }

    func refreshTokens(_ refreshToken: String) async throws -> AuthTokens {
        try await send("POST", "/api/v1/auth/refresh", body: RefreshRequest(refreshToken: refreshToken), auth: .none)
    }

    static func pageQuery(cursor: String?, limit: Int?) -> [URLQueryItem] {
        var items: [URLQueryItem] = []
        if let cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
        if let limit { items.append(URLQueryItem(name: "limit", value: String(limit))) }
        return items
    }
}
