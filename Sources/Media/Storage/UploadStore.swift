import EntativaCore
import EntativaModels
import Foundation
import SQLKit

struct UploadRow: Decodable, Sendable {
    var id: UploadID
    var ownerId: AccountID
    var length: Int64
    var uploadOffset: Int64
    var metadata: String
    var mediaId: MediaID?
    var expiresAt: Int64


    var metadataFields: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(metadata.utf8))) ?? [:]
    }
}

/// The SQL of the `uploads` table: what each tus upload expects and how far it got. The
/// offset is written only after the bytes up to it are on disk.
enum UploadStore {
    static func insert(_ id: UploadID, owner: AccountID, length: Int64, metadata: [String: String], now: Int64, expiresAt: Int64, on db: any SQLDatabase) async throws {
        let text = String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self)
        try await db.raw("""
            INSERT INTO uploads (id, owner_id, length, upload_offset, metadata, created_at, expires_at)
            VALUES (\(bind: id.rawValue), \(bind: owner.rawValue), \(bind: length), 0, \(bind: text), \(bind: now), \(bind: expiresAt))
            """).run()
    }

    static func find(_ id: UploadID, on db: any SQLDatabase) async throws -> UploadRow? {
        try await db.raw("SELECT * FROM uploads WHERE id = \(bind: id.rawValue)").first()?.decode(UploadRow.self)
    }

    static func setOffset(_ id: UploadID, offset: Int64, expiresAt: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE uploads SET upload_offset = \(bind: offset), expires_at = \(bind: expiresAt) WHERE id = \(bind: id.rawValue)
            """).run()
    }

    static func setMedia(_ id: UploadID, media: MediaID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE uploads SET media_id = \(bind: media.rawValue) WHERE id = \(bind: id.rawValue)").run()
    }

    static func delete(_ id: UploadID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM uploads WHERE id = \(bind: id.rawValue)").run()
    }

    /// Every upload of `owner`. The table holds at most a day or two of uploads, so no index.
    static func owned(by owner: AccountID, on db: any SQLDatabase) async throws -> [UploadID] {
        try await db.raw("SELECT id FROM uploads WHERE owner_id = \(bind: owner.rawValue)").all()
            .map { try $0.decode(column: "id", as: UploadID.self) }
    }

    /// Unfinished uploads past their expiry, and finished ones kept a day for late HEADs.
    static func expired(before now: Int64, on db: any SQLDatabase) async throws -> [UploadID] {
        try await db.raw("SELECT id FROM uploads WHERE expires_at < \(bind: now) LIMIT 1000").all()
            .map { try $0.decode(column: "id", as: UploadID.self) }
    }
}
