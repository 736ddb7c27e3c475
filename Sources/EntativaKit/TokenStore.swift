import EntativaModels
import Foundation

/// Holds the tokens of the signed-in account. Apps persist `current` (for example in the
/// Keychain) and hand it back to a new store on launch.
public actor TokenStore {
    public struct Tokens: Codable, Sendable, Equatable {
        public var accessToken: String
        public var refreshToken: String
        public var accountId: AccountID

        public init(accessToken: String, refreshToken: String, accountId: AccountID) {
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.accountId = accountId
        }
    }

    public private(set) var current: Tokens?
    private var refreshing: Task<Tokens, any Error>?

    public init(_ tokens: Tokens? = nil) { current = tokens }

    public func store(_ tokens: AuthTokens) {
        current = Tokens(accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accountId: tokens.account.id)
    }

    public func clear() { current = nil }

    /// Refreshes once however many requests find the access token expired at the same moment;
    /// the server revokes a session whose refresh token is presented twice. `failedAccessToken`
    /// is the token a request was refused with: if another request already replaced it, the
    /// caller just retries with the new one.
    func refresh(
        failedAccessToken: String? = nil, using perform: @escaping @Sendable (String) async throws -> AuthTokens
    ) async throws -> Tokens {
        if let refreshing { return try await refreshing.value }
        if let failedAccessToken, let current, current.accessToken != failedAccessToken { return current }
        guard let refreshToken = current?.refreshToken else { throw EntativaError.notSignedIn }
        // The task inherits this actor, so it updates `current` before any waiter resumes.
        let task = Task<Tokens, any Error> {
            defer { self.refreshing = nil }
            do {
                let answer = try await perform(refreshToken)
                let tokens = Tokens(accessToken: answer.accessToken, refreshToken: answer.refreshToken, accountId: answer.account.id)
                self.current = tokens
                return tokens
            } catch let error as EntativaError where error.status == 401 {
                // The session is over (revoked, expired or reused); a network failure is not.
                self.current = nil
                throw error
            }
        }
        refreshing = task
        return try await task.value
    }
}
