import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// The caller's signed-in devices.
public struct Sessions: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    public func list(_ caller: Principal, page: PageRequest) async throws -> Page<Session> {
        let rows = try await SessionStore.active(of: caller.accountID, before: page.before, limit: page.limit + 1, on: env.database.sql)
        return page.page(rows.map { $0.dto(current: caller.sessionID) }) { $0.id.rawValue }
    }

    /// Which of `ids` are sessions of `account` (ended ones too), for higher domains that point
    /// at a sign-in, such as the `new_login` notification.
    public func owned(_ ids: [SessionID], by account: AccountID) async throws -> Set<SessionID> {
        try await SessionStore.owned(ids, by: account, on: env.database.sql)
    }

    /// Ends one of the caller's sessions; someone else's is a 404, as if it did not exist.
    public func revoke(_ id: SessionID, caller: Principal, client: ClientInfo) async throws {
        let env = self.env
        try await env.database.transaction { db in
            guard try await SessionStore.revoke(id, of: caller.accountID, reason: "revoked", now: env.now, on: db) else {
                throw AppError.notFound("session")
            }
            try await env.log.record(.sessionRevoked, account: caller.accountID, client: client, detail: id.description, on: db)
        }
    }

    /// Ends every session of the caller but the current one.
    public func revokeOthers(_ caller: Principal, client: ClientInfo) async throws {
        let env = self.env
        try await env.database.transaction { db in
            let count = try await SessionStore.revokeAll(of: caller.accountID, except: caller.sessionID, reason: "revoked", now: env.now, on: db)
            if count > 0 {
                try await env.log.record(.sessionRevoked, account: caller.accountID, client: client, detail: "\(count) other sessions", on: db)
            }
        }
    }
}
