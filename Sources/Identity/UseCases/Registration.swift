import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Emitted when an account is created; later domains (search, suggestions) react to it.
public struct AccountRegistered: DomainEvent {
    public static let topic = "account.registered"
    public var accountId: AccountID
    public var username: String
}

/// `POST /auth/register` and `entativa admin create-user`.
public struct Registration: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    static var usernamePattern: Regex<Substring> { /^[A-Za-z0-9_]{3,30}$/ }
    static var emailPattern: Regex<(Substring, Substring)> { /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/ }

    public func register(_ form: RegisterRequest, client: ClientInfo) async throws -> AuthTokens {
        let username = form.username.trimmingCharacters(in: .whitespaces)
        let email = form.email.trimmingCharacters(in: .whitespaces)
        try validate(username: username, email: email, password: form.password)
        try await env.kernel.attempts.consume(env.registrationRule, keys: ["ip:\(client.ip)"])
        let hash = try await env.hasher.hash(form.password)
        let issuer = SessionIssuer(env: env)
        let env = self.env
        let tokens = try await insert(username: username, email: email, hash: hash, role: .user, verified: false) { account, db in
            try await issuer.start(for: account, deviceName: form.deviceName, client: client, event: .registered, on: db)
        } afterInsert: { account, db in
            try await EmailVerification(env: env).sendVerification(to: account, on: db)
        }
        env.kernel.jobs.notify()
        var answer = tokens
        answer.account = env.uncounted(tokens.account)
        return answer
    }

    /// An account made by an operator: any role, email already trusted, no session.
    public func createByOperator(username: String, email: String, password: String, role: Role) async throws -> Account {
        try validate(username: username, email: email, password: password)
        let hash = try await env.hasher.hash(password)
        let account = try await insert(username: username, email: email, hash: hash, role: role, verified: true) { account, _ in
            account.dto(includePrivate: true)
        } afterInsert: { _, _ in }
        return env.uncounted(account)
    }

    private func insert<T: Sendable>(
        username: String, email: String, hash: String, role: Role, verified: Bool,
        answer: @escaping @Sendable (AccountRow, any SQLDatabase) async throws -> T,
        afterInsert: @escaping @Sendable (AccountRow, any SQLDatabase) async throws -> Void
    ) async throws -> T {
        let env = self.env
        do {
            return try await env.database.transaction { db in
                let taken = try await AccountStore.taken(username: username, email: email, on: db)
                try Self.rejectTaken(username: taken.username, email: taken.email)
                let id = env.ids.next()
                try await AccountStore.insert(
                    NewAccount(id: id, username: username, email: email, passwordHash: hash, role: role, emailVerified: verified),
                    now: env.now, on: db)
                guard let account = try await AccountStore.find(AccountID(rawValue: id), on: db) else { throw AppError.notFound("account") }
                try await afterInsert(account, db)
                try await env.kernel.events.publish(AccountRegistered(accountId: account.id, username: username), on: db)
                return try await answer(account, db)
            }
        } catch where error.isUniqueViolation {
            // Lost a race with an identical registration between the check and the insert.
            throw AppError.conflict("That username or email is already taken.", code: "taken")
        }
    }

    static func rejectTaken(username: Bool, email: Bool) throws {
        guard username || email else { return }
        var error = AppError.conflict("That username or email is already taken.", code: "taken")
        if username { error.fieldErrors.append(FieldError(field: "username", code: "taken", message: "is already taken")) }
        if email { error.fieldErrors.append(FieldError(field: "email", code: "taken", message: "is already registered")) }
        throw error
    }

    func validate(username: String, email: String, password: String) throws {
        var validator = Validator()
        validator.check(
            username.wholeMatch(of: Self.usernamePattern) != nil, "username", "invalid",
            "must be 3–30 characters of a–z, 0–9 and _")
        Self.validateEmail(email, into: &validator)
        PasswordPolicy.check(password, username: username, field: "password", into: &validator)
        try validator.validate()
    }

    static func validateEmail(_ email: String, field: String = "email", into validator: inout Validator) {
        validator.check(
            email.utf8.count <= 254 && email.wholeMatch(of: emailPattern) != nil, field, "invalid",
            "must be a valid email address")
    }
}
