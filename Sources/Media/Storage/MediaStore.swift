import EntativaCore
import EntativaModels
import Foundation
import SQLKit

enum MediaLocation {
    /// Every blob of a media item lives under this prefix.
    static func prefix(_ id: MediaID) -> String { "media/\(id)/" }
}

struct MediaRow: Decodable, Sendable {
    var id: MediaID
    var ownerId: AccountID
    var kind: MediaKind
    var state: MediaState
    var progress: Int
    var failureReason: String?
    var size: Int64
    var width: Int?
    var height: Int?
    var durationMs: Int64?
    var altText: String?
    var focalX: Double?
    var focalY: Double?
    var blurhash: String?
    var dominantColor: String?
    var waveform: String?
    var variants: String
    var isPrivate: Bool
    var originalKey: String
    var attachedTo: String?
    var createdAt: Int64


    var storedVariants: [StoredVariant] {
        (try? JSONDecoder().decode([StoredVariant].self, from: Data(variants.utf8))) ?? []
    }

    /// The wire shape; URLs are signed when the media or its owner's account is private.
    func dto(urls: MediaURLs, owner: MediaOwnerStanding) -> MediaAttachment {
        let signed = needsSignature(owner: owner)
        let waveformValues = waveform.flatMap { try? JSONDecoder().decode([Double].self, from: Data($0.utf8)) }
        let focal = focalX.flatMap { x in focalY.map { FocalPoint(x: x, y: $0) } }
        let variantDTOs = storedVariants.map { variant in
            MediaVariant(
                name: variant.name,
                url: kind == .encrypted
                    ? urls.url(for: id, path: variant.path, until: createdAt + urls.encryptedLifetimeMillis)
                    : urls.url(for: id, path: variant.path, isPrivate: signed),
                contentType: variant.contentType, width: variant.width, height: variant.height, bitrate: variant.bitrate)
        }
        return MediaAttachment(
            id: id, kind: kind, state: state, progress: progress, failureReason: failureReason, width: width,
            height: height, durationSeconds: durationMs.map { Double($0) / 1000 }, altText: altText, focalPoint: focal,
            blurhash: blurhash, dominantColor: dominantColor, waveform: waveformValues, isPrivate: signed,
            variants: variantDTOs, createdAt: Date(millisecondsSince1970: createdAt))
    }
}

/// The SQL of the `media` table.
enum MediaStore {
    static func insert(
        id: MediaID, owner: AccountID, kind: MediaKind, size: Int64, probe: MediaProbe, isPrivate: Bool, originalKey: String,
        now: Int64, on db: any SQLDatabase
    ) async throws {
        let display = probe.displaySize
        try await db.raw("""
            INSERT INTO media (id, owner_id, kind, state, progress, size, width, height, duration_ms, variants, is_private,
                original_key, created_at, updated_at)
            VALUES (\(bind: id.rawValue), \(bind: owner.rawValue), \(bind: kind.rawValue), 'pending', 0, \(bind: size),
                \(bind: display?.width), \(bind: display?.height), \(bind: probe.duration.map { Int64($0 * 1000) }), '[]',
                \(bind: isPrivate), \(bind: originalKey), \(bind: now), \(bind: now))
            """).run()
    }

    /// An encrypted attachment: private, ready at once, its one file the ciphertext as uploaded.
    static func insertEncrypted(id: MediaID, owner: AccountID, size: Int64, file: StoredVariant, now: Int64, on db: any SQLDatabase) async throws {
        let variants = String(decoding: try JSONEncoder().encode([file]), as: UTF8.self)
        try await db.raw("""
            INSERT INTO media (id, owner_id, kind, state, progress, size, variants, is_private, original_key, created_at, updated_at)
            VALUES (\(bind: id.rawValue), \(bind: owner.rawValue), \(bind: MediaKind.encrypted.rawValue), 'ready', 100, \(bind: size),
                \(bind: variants), \(bind: true), \(bind: MediaLocation.prefix(id) + file.path), \(bind: now), \(bind: now))
            """).run()
    }

    static func find(_ ids: [MediaID], on db: any SQLDatabase) async throws -> [MediaRow] {
        try await db.raw("SELECT * FROM media WHERE id IN (\(binds: ids.map(\.rawValue)))").all().map { try $0.decode(MediaRow.self) }
    }

    /// `find(_:)` with the rows locked until the transaction ends (PostgreSQL; SQLite has one writer).
    static func findForAttaching(_ ids: [MediaID], engine: DatabaseEngine, on db: any SQLDatabase) async throws -> [MediaRow] {
        let lock = engine == .postgres ? " FOR UPDATE" : ""
        return try await db.raw("SELECT * FROM media WHERE id IN (\(binds: ids.map(\.rawValue)))\(unsafeRaw: lock)")
            .all().map { try $0.decode(MediaRow.self) }
    }

    static func attach(_ ids: [MediaID], to reference: String, isPrivate: Bool, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE media SET attached_to = \(bind: reference), is_private = \(bind: isPrivate), updated_at = \(bind: now)
            WHERE id IN (\(binds: ids.map(\.rawValue)))
            """).run()
    }

    /// Lets go of what is attached to `reference` or to a reference under it (`story:1` and
    /// `story:1:music:0`), private from now on: the collector removes it like any unattached media.
    static func detach(from reference: String, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE media SET attached_to = NULL, is_private = \(bind: true), updated_at = \(bind: now)
            WHERE attached_to = \(bind: reference) OR attached_to LIKE \(bind: reference + ":%")
            """).run()
    }

    static func setPrivacy(attachedTo reference: String, isPrivate: Bool, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE media SET is_private = \(bind: isPrivate), updated_at = \(bind: now) WHERE attached_to = \(bind: reference)
            """).run()
    }

    static func find(_ id: MediaID, on db: any SQLDatabase) async throws -> MediaRow? {
        try await db.raw("SELECT * FROM media WHERE id = \(bind: id.rawValue)").first()?.decode(MediaRow.self)
    }

    static func setState(_ id: MediaID, _ state: MediaState, reason: String? = nil, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE media SET state = \(bind: state.rawValue), failure_reason = \(bind: reason),
                progress = \(bind: state == .ready ? 100 : 0), updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
    }

    static func setProgress(_ id: MediaID, percent: Int, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE media SET progress = \(bind: percent), updated_at = \(bind: now) WHERE id = \(bind: id.rawValue) AND state = 'processing'
            """).run()
    }

    static func complete(_ id: MediaID, with result: ProcessedMedia, now: Int64, on db: any SQLDatabase) async throws {
        let variants = String(decoding: try JSONEncoder().encode(result.variants), as: UTF8.self)
        let waveform = try result.waveform.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await db.raw("""
            UPDATE media SET state = 'ready', progress = 100, failure_reason = NULL, variants = \(bind: variants),
                width = \(bind: result.width), height = \(bind: result.height),
                duration_ms = \(bind: result.duration.map { Int64($0 * 1000) }), blurhash = \(bind: result.blurhash),
                dominant_color = \(bind: result.dominantColor), waveform = \(bind: waveform), updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
    }

    static func updateDescription(_ id: MediaID, altText: String?, focal: FocalPoint?, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE media SET alt_text = \(bind: altText), focal_x = \(bind: focal?.x), focal_y = \(bind: focal?.y),
                updated_at = \(bind: now)
            WHERE id = \(bind: id.rawValue)
            """).run()
    }

    static func delete(_ id: MediaID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM media WHERE id = \(bind: id.rawValue)").run()
    }

    /// Bytes `owner` uploaded since `since`, for the daily quota.
    static func bytesUploaded(by owner: AccountID, since: Int64, on db: any SQLDatabase) async throws -> Int64 {
        let media = try await db.raw("""
            SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS total FROM media WHERE owner_id = \(bind: owner.rawValue) AND created_at >= \(bind: since)
            """).first()?.decode(column: "total", as: Int64.self) ?? 0
        let pending = try await db.raw("""
            SELECT CAST(COALESCE(SUM(length), 0) AS BIGINT) AS total FROM uploads
            WHERE owner_id = \(bind: owner.rawValue) AND created_at >= \(bind: since) AND media_id IS NULL
            """).first()?.decode(column: "total", as: Int64.self) ?? 0
        return media + pending
    }

    /// Up to `limit` media of `owner`, attached or not (index `media_owner`).
    static func owned(by owner: AccountID, limit: Int, on db: any SQLDatabase) async throws -> [MediaID] {
        try await db.raw("SELECT id FROM media WHERE owner_id = \(bind: owner.rawValue) ORDER BY id LIMIT \(bind: limit)")
            .all().map { try $0.decode(column: "id", as: MediaID.self) }
    }

    /// Unattached media created before `cutoff`, oldest first.
    static func unattached(before cutoff: Int64, limit: Int, on db: any SQLDatabase) async throws -> [MediaID] {
        try await db.raw("""
            SELECT id FROM media WHERE attached_to IS NULL AND kind <> 'encrypted' AND created_at < \(bind: cutoff)
            ORDER BY created_at LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: MediaID.self) }
    }

    /// Encrypted attachments made before `cutoff`: their envelopes have expired too.
    static func expiredEncrypted(before cutoff: Int64, limit: Int, on db: any SQLDatabase) async throws -> [MediaID] {
        try await db.raw("""
            SELECT id FROM media WHERE attached_to IS NULL AND kind = 'encrypted' AND created_at < \(bind: cutoff)
            ORDER BY created_at LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: MediaID.self) }
    }
}
