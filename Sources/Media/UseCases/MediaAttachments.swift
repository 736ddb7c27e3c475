import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// How the domains that show media (posts, stories, messages) take ownership of it: attaching
/// stops garbage collection and owner deletes, and a non-public audience makes the files go out
/// only through signed URLs.
public struct MediaAttachments: Sendable {
    let env: MediaEnvironment

    public init(env: MediaEnvironment) { self.env = env }

    /// Attaches `ids`, which must be `owner`'s, ready and unattached, to `reference` (say
    /// `post:123`) inside the caller's transaction; anything else is a 422 on `field`.
    public func attach(
        _ ids: [MediaID], owner: AccountID, to reference: String, isPrivate: Bool, field: String, on db: any SQLDatabase
    ) async throws {
        guard !ids.isEmpty else { return }
        guard Set(ids).count == ids.count else { throw AppError.invalid(field: field, code: "duplicate", message: "names a media item twice") }
        let rows = try await MediaStore.findForAttaching(ids, engine: env.kernel.database.engine, on: db)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        var validator = Validator()
        for id in ids {
            guard let row = byID[id], row.ownerId == owner else {
                validator.add(field, "not_found", "media \(id) is not one of yours")
                continue
            }
            validator.check(row.kind != .encrypted, field, "encrypted", "media \(id) is an encrypted attachment: it goes in messages only")
            validator.check(row.state == .ready, field, "not_ready", "media \(id) is \(row.state.rawValue), not ready")
            validator.check(row.attachedTo == nil, field, "attached", "media \(id) is already used elsewhere")
        }
        try validator.validate()
        try await MediaStore.attach(ids, to: reference, isPrivate: isPrivate, now: env.now, on: db)
    }

    /// Lets go of everything attached to `reference` and the references under it, for content
    /// deleted outright (a story): the files stop being served and are collected as unattached.
    public func release(_ reference: String, on db: any SQLDatabase) async throws {
        try await MediaStore.detach(from: reference, now: env.now, on: db)
    }

    /// Whether the files of everything attached to `reference` need signed URLs.
    public func setPrivacy(of reference: String, isPrivate: Bool, on db: any SQLDatabase) async throws {
        try await MediaStore.setPrivacy(attachedTo: reference, isPrivate: isPrivate, now: env.now, on: db)
    }

    /// The media of `ids` as attachments, keyed by ID; missing ones and those of suspended or
    /// deleted owners are left out, and a private owner's files get signed URLs.
    public func attachments(_ ids: [MediaID]) async throws -> [MediaID: MediaAttachment] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await MediaStore.find(ids, on: env.kernel.database.sql)
        let owners = try await env.owners.standings(of: Array(Set(rows.map(\.ownerId))))
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in
            let owner = owners[row.ownerId] ?? .hidden
            return owner == .hidden ? nil : (row.id, row.dto(urls: env.urls, owner: owner))
        })
    }
}
