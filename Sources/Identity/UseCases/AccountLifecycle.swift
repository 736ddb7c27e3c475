import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Suspension by administrators, and deletion by owners.
public struct AccountLifecycle: Sendable {
    let env: IdentityEnvironment
    static let purgeJob = JobDefinition<AccountDeleted>("identity.purge_account")

    public init(env: IdentityEnvironment) { self.env = env }

    /// Suspends an account: its sessions end and its tokens stop working with the next request.
    public func suspend(_ id: AccountID, by caller: Principal, reason: String?, client: ClientInfo) async throws -> Account {
        guard caller.role == .admin else { throw AppError.forbidden("Only administrators suspend accounts.") }
        guard id != caller.accountID else { throw AppError.conflict("You cannot suspend yourself.", code: "self-suspension") }
        var validator = Validator()
        validator.length(reason, "reason", max: 500, allowingLineBreaks: true)
        try validator.validate()
        return try await setState(.suspended, of: id, reason: reason, event: .suspended, client: client)
    }

    public func unsuspend(_ id: AccountID, by caller: Principal, client: ClientInfo) async throws -> Account {
        guard caller.role == .admin else { throw AppError.forbidden("Only administrators unsuspend accounts.") }
        return try await setState(.active, of: id, reason: nil, event: .unsuspended, client: client)
    }

    private func setState(
        _ state: AccountState, of id: AccountID, reason: String?, event: SecurityEventKind, client: ClientInfo
    ) async throws -> Account {
        let env = self.env
        let updated = try await env.database.transaction { db in
            guard let account = try await AccountStore.find(id, on: db), account.state != .deleted else {
                throw AppError.notFound("account")
            }
            try await AccountStore.setState(state, reason: reason, for: id, now: env.now, on: db)
            if state == .suspended {
                try await SessionStore.revokeAll(of: id, except: nil, reason: "suspended", now: env.now, on: db)
            }
            try await env.log.record(event, account: id, client: client, detail: reason, on: db)
            try await env.kernel.events.publish(AccountProfileChanged(accountId: id, standingChanged: true), on: db)
            guard let updated = try await AccountStore.find(id, on: db) else { throw AppError.notFound("account") }
            return updated.dto(includePrivate: true)
        }
        return try await env.counted(updated)
    }

    /// Deletes the caller's account: signs out everywhere at once and schedules the removal of
    /// its data. The username stays reserved so no one can take over its identity.
    public func delete(_ caller: Principal, password: String, client: ClientInfo) async throws {
        let account = try await env.activeAccount(caller.accountID, on: env.database.sql)
        try await env.requirePassword(password, of: account, field: "password", caller: caller, client: client, action: "account_deletion")
        let env = self.env
        try await env.database.transaction { db in
            try await AccountStore.setState(.deleted, reason: nil, for: caller.accountID, now: env.now, on: db)
            try await SessionStore.revokeAll(of: caller.accountID, except: nil, reason: "deleted", now: env.now, on: db)
            try await env.log.record(.deletionRequested, account: caller.accountID, client: client, on: db)
            try await env.kernel.jobs.enqueue(Self.purgeJob, AccountDeleted(accountId: caller.accountID), on: db)
        }
        env.kernel.jobs.notify()
    }

    /// The purge job: removes what identity holds and tells other domains to remove theirs.
    /// Running it twice is harmless: every consumer of `AccountDeleted` is idempotent, so the event
    /// goes out on every run. (It used to go out only while the account still had an email address,
    /// as a "first run" marker: an account without one would never have been purged elsewhere.)
    func purge(_ event: AccountDeleted) async throws {
        let env = self.env
        try await env.database.transaction { db in
            guard let account = try await AccountStore.find(event.accountId, on: db), account.state == .deleted else { return }
            try await AccountErasureStore.erasePersonalData(of: event.accountId, now: env.now, on: db)
            try await env.kernel.events.publish(event, on: db)
        }
    }

    func registerJobs() {
        let lifecycle = self
        env.kernel.jobs.register(Self.purgeJob) { event in try await lifecycle.purge(event) }
    }

    /// Changes an account's role; for the `admin` command line.
    public func setRole(_ role: Role, of id: AccountID) async throws {
        try await AccountStore.setRole(role, for: id, now: env.now, on: env.database.sql)
    }
}
