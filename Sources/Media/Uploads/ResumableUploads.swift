import EntativaCore
import EntativaModels
import Foundation
import Hummingbird
import Synchronization

/// The tus 1.0 upload state machine: create, report the offset, append, terminate. Bytes go to
/// `<data>/uploads/<id>`; the offset in the database only ever counts bytes already synced, so
/// after a crash the file is cut back to it and the client resumes from there.
public struct ResumableUploads: Sendable {
    let env: MediaEnvironment
    /// Uploads with a PATCH in progress in this process; a second one at once is a 409.
    let busy: UploadLocks
    static let syncEvery: Int64 = 8 << 20

    public init(env: MediaEnvironment, busy: UploadLocks = UploadLocks()) {
        self.env = env
        self.busy = busy
    }

    func file(_ id: UploadID) -> URL { env.uploadRoot.appendingPathComponent("\(id)") }

    var expiry: Int64 { env.now + env.settings.uploadLifetime.milliseconds }

    func create(owner: AccountID, length: Int64, metadata: [String: String]) async throws -> UploadRow {
        guard length > 0 else { throw AppError.invalid(field: "Upload-Length", code: "invalid", message: "must be a positive integer") }
        guard length <= env.policy.maxVideoBytes else {
            throw AppError.tooLarge("Uploads may be at most \(env.policy.maxVideoBytes >> 20) MB.")
        }
        try await env.chargeQuota(owner, bytes: length)
        let id = env.kernel.ids.next(UploadID.self)
        guard FileManager.default.createFile(atPath: file(id).path, contents: nil) else {
            throw AppError.unavailable("The upload could not be stored.")
        }
        try await UploadStore.insert(id, owner: owner, length: length, metadata: metadata, now: env.now, expiresAt: expiry, on: env.kernel.database.sql)
        guard let row = try await UploadStore.find(id, on: env.kernel.database.sql) else { throw AppError.notFound("upload") }
        return row
    }

    /// The caller's live upload (`HEAD`). Bytes past the recorded offset are a crash's leftovers
    /// only when no request is appending: a `PATCH` in flight writes ahead of the offset it has
    /// recorded, so the repair runs only under the upload's lock, never beside a writer.
    func status(_ id: UploadID, caller: Principal) async throws -> UploadRow {
        let row = try await live(id, caller: caller)
        if busy.acquire(id) {
            defer { busy.release(id) }
            truncateToRecordedOffset(row)
        }
        return row
    }

    /// The caller's upload; someone else's, or an expired one, is a 404.
    private func live(_ id: UploadID, caller: Principal) async throws -> UploadRow {
        guard let row = try await UploadStore.find(id, on: env.kernel.database.sql), row.ownerId == caller.accountID,
            row.expiresAt > env.now || row.mediaId != nil
        else { throw AppError.notFound("upload") }
        return row
    }

    /// Appends `body` at `offset`; when the last byte arrives the file becomes media.
    func append(
        _ id: UploadID, offset: Int64, caller: Principal, body: some AsyncSequence<ByteBuffer, any Error>
    ) async throws -> UploadRow {
        guard busy.acquire(id) else {
            throw AppError.conflict("Another request is appending to this upload.", code: "upload-busy")
        }
        defer { busy.release(id) }
        var row = try await live(id, caller: caller)
        truncateToRecordedOffset(row)
        guard row.mediaId == nil else { throw AppError.conflict("This upload is complete.", code: "upload-complete") }
        guard offset == row.uploadOffset else {
            throw AppError.conflict("Upload-Offset is \(offset) but the server has \(row.uploadOffset) bytes.", code: "offset-mismatch")
        }
        let handle = try FileHandle(forWritingTo: file(id))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        var written = offset
        var synced = offset
        var failure: (any Error)?
        do {
            for try await chunk in body {
                guard written + Int64(chunk.readableBytes) <= row.length else {
                    throw AppError.tooLarge("The upload is \(row.length) bytes; this request goes past the end.")
                }
                try handle.write(contentsOf: chunk.readableBytesView)
                written += Int64(chunk.readableBytes)
                if written - synced >= Self.syncEvery {
                    try handle.synchronize()
                    synced = written
                    try await UploadStore.setOffset(id, offset: synced, expiresAt: expiry, on: env.kernel.database.sql)
                }
            }
        } catch {
            // A dropped connection keeps what arrived: the client resumes from the recorded offset.
            failure = error
        }
        try handle.synchronize()
        try await UploadStore.setOffset(id, offset: written, expiresAt: expiry, on: env.kernel.database.sql)
        row.uploadOffset = written
        if let failure { throw failure }
        if written == row.length {
            row.mediaId = try await finish(row, owner: caller.accountID).id
        }
        return row
    }

    /// Files the complete upload as media. A file that fails validation is deleted with its upload.
    private func finish(_ row: UploadRow, owner: AccountID) async throws -> MediaAttachment {
        let staged = env.temporaryFile()
        try FileManager.default.moveItem(at: file(row.id), to: staged)
        do {
            let media = try await MediaLibrary(env: env).ingest(staged, owner: owner, fields: row.metadataFields)
            // Kept until it expires so a client that lost the answer can still read the media ID.
            try await UploadStore.setMedia(row.id, media: media.id, on: env.kernel.database.sql)
            return media
        } catch {
            try? await UploadStore.delete(row.id, on: env.kernel.database.sql)
            throw error
        }
    }

    func terminate(_ id: UploadID, caller: Principal) async throws {
        guard busy.acquire(id) else {
            throw AppError.conflict("Another request is appending to this upload.", code: "upload-busy")
        }
        defer { busy.release(id) }
        let row = try await live(id, caller: caller)
        try? FileManager.default.removeItem(at: file(id))
        try await UploadStore.delete(row.id, on: env.kernel.database.sql)
    }

    /// A crash between a write and its offset update leaves extra bytes; they are not counted.
    private func truncateToRecordedOffset(_ row: UploadRow) {
        guard row.mediaId == nil, let handle = try? FileHandle(forUpdating: file(row.id)) else { return }
        defer { try? handle.close() }
        if let size = try? handle.seekToEnd(), size > UInt64(row.uploadOffset) {
            try? handle.truncate(atOffset: UInt64(row.uploadOffset))
        }
    }
}

public final class UploadLocks: Sendable {
    private let held = Mutex<Set<UploadID>>([])

    public init() {}

    func acquire(_ id: UploadID) -> Bool { held.withLock { $0.insert(id).inserted } }
    func release(_ id: UploadID) { _ = held.withLock { $0.remove(id) } }
}
