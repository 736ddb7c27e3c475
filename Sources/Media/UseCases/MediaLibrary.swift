import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Turning uploaded files into media, and reading, describing and deleting them.
public struct MediaLibrary: Sendable {
    let env: MediaEnvironment
    static let processJob = JobDefinition<ProcessMediaRequest>("media.process", maxAttempts: 5, lane: .media)
    static let maxAltText = 1500

    public init(env: MediaEnvironment) { self.env = env }

    /// Validates a complete file by its content and files it as pending media; processing
    /// follows in a job. The file is consumed: moved into the blob store or deleted.
    public func ingest(_ file: URL, owner: AccountID, isPrivate: Bool) async throws -> MediaAttachment {
        defer { try? FileManager.default.removeItem(at: file) }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
        guard size > 0 else { throw AppError.invalid(field: "file", code: "empty", message: "is empty") }
        let probe: MediaProbe
        do {
            probe = try await env.tools.probe(file)
        } catch {
            throw MediaPolicy.unreadable(error)
        }
        let kind = try env.policy.classify(probe, size: size)
        let id = env.kernel.ids.next(MediaID.self)
        let originalKey = MediaLocation.prefix(id) + "source"
        try await env.blobs.put(originalKey, file: file, contentType: "application/octet-stream")
        let env = self.env
        do {
            try await env.kernel.database.transaction { db in
                try await MediaStore.insert(
                    id: id, owner: owner, kind: kind, size: size, probe: probe, isPrivate: isPrivate, originalKey: originalKey,
                    now: env.now, on: db)
                try await env.kernel.jobs.enqueue(Self.processJob, ProcessMediaRequest(mediaId: id), on: db)
            }
        } catch {
            try? await env.blobs.deleteAll(prefix: MediaLocation.prefix(id))
            throw error
        }
        env.kernel.jobs.notify()
        guard let row = try await MediaStore.find(id, on: env.kernel.database.sql) else { throw AppError.notFound("media") }
        return row.dto(urls: env.urls, owner: try await env.owners.standing(of: owner))
    }

    /// Files an upload by the fields that came with it (a multipart form's, or tus metadata):
    /// `encrypted=true` makes it an encrypted attachment, `private=true` private media.
    func ingest(_ file: URL, owner: AccountID, fields: [String: String]) async throws -> MediaAttachment {
        func flag(_ name: String) -> Bool { ["true", "1", "yes"].contains(fields[name]?.lowercased() ?? "") }
        if flag("encrypted") { return try await ingestEncrypted(file, owner: owner) }
        return try await ingest(file, owner: owner, isPrivate: flag("private"))
    }

    /// Files ciphertext a client encrypted as an encrypted attachment: not probed (it is noise to
    /// ffprobe), not processed, private, ready at once, served only through the signed path its
    /// answer carries, which stays valid as long as the attachment (30 days).
    public func ingestEncrypted(_ file: URL, owner: AccountID) async throws -> MediaAttachment {
        defer { try? FileManager.default.removeItem(at: file) }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
        guard size > 0 else { throw AppError.invalid(field: "file", code: "empty", message: "is empty") }
        guard size <= env.policy.maxEncryptedBytes else {
            throw AppError(
                status: 413, code: "too-large", title: "Too large", detail: "An encrypted attachment has at most \(env.policy.maxEncryptedBytes) bytes.")
        }
        let id = env.kernel.ids.next(MediaID.self)
        let stored = StoredVariant(name: "ciphertext", path: "attachment", contentType: "application/octet-stream")
        try await env.blobs.put(MediaLocation.prefix(id) + stored.path, file: file, contentType: stored.contentType)
        let env = self.env
        do {
            try await env.kernel.database.transaction { db in
                try await MediaStore.insertEncrypted(id: id, owner: owner, size: size, file: stored, now: env.now, on: db)
            }
        } catch {
            try? await env.blobs.deleteAll(prefix: MediaLocation.prefix(id))
            throw error
        }
        guard let row = try await MediaStore.find(id, on: env.kernel.database.sql) else { throw AppError.notFound("media") }
        return row.dto(urls: env.urls, owner: try await env.owners.standing(of: owner))
    }

    /// Media as `viewer` may see it: owners see their own in every state; others see ready,
    /// public media of a public, active account only. Anything else is a 404.
    public func get(_ id: MediaID, viewer: Principal?) async throws -> MediaAttachment {
        guard let row = try await MediaStore.find(id, on: env.kernel.database.sql) else { throw AppError.notFound("media") }
        let owner = try await env.owners.standing(of: row.ownerId)
        let isOwner = viewer?.accountID == row.ownerId
        guard owner != .hidden, isOwner || (row.state == .ready && !row.needsSignature(owner: owner)) else {
            throw AppError.notFound("media")
        }
        return row.dto(urls: env.urls, owner: owner)
    }

    public func describe(_ id: MediaID, caller: Principal, form: UpdateMediaRequest) async throws -> MediaAttachment {
        var validator = Validator()
        validator.length(form.altText, "alt_text", max: Self.maxAltText, allowingLineBreaks: true)
        if let focal = form.focalPoint {
            validator.check((-1...1).contains(focal.x), "focal_point.x", "out_of_range", "must be between -1 and 1")
            validator.check((-1...1).contains(focal.y), "focal_point.y", "out_of_range", "must be between -1 and 1")
        }
        try validator.validate()
        let env = self.env
        let updated = try await env.kernel.database.transaction { db in
            guard let row = try await MediaStore.find(id, on: db), row.ownerId == caller.accountID else {
                throw AppError.notFound("media")
            }
            // Four decimals are finer than any screen; smaller values would underflow PostgreSQL's REAL.
            let focal = form.focalPoint.map { FocalPoint(x: ($0.x * 10_000).rounded() / 10_000, y: ($0.y * 10_000).rounded() / 10_000) }
                ?? row.focalX.flatMap { x in row.focalY.map { FocalPoint(x: x, y: $0) } }
            try await MediaStore.updateDescription(id, altText: form.altText ?? row.altText, focal: focal, now: env.now, on: db)
            guard let updated = try await MediaStore.find(id, on: db) else { throw AppError.notFound("media") }
            return updated
        }
        return updated.dto(urls: env.urls, owner: try await env.owners.standing(of: caller.accountID))
    }

    /// Deletes the caller's media, unless something already shows it.
    public func delete(_ id: MediaID, caller: Principal) async throws {
        let env = self.env
        try await env.kernel.database.transaction { db in
            guard let row = try await MediaStore.find(id, on: db), row.ownerId == caller.accountID else {
                throw AppError.notFound("media")
            }
            guard row.attachedTo == nil else { throw AppError.conflict("This media is attached and cannot be deleted on its own.") }
            try await MediaStore.delete(id, on: db)
        }
        try await env.blobs.deleteAll(prefix: MediaLocation.prefix(id))
    }
}

struct ProcessMediaRequest: Codable, Sendable {
    var mediaId: MediaID
}
