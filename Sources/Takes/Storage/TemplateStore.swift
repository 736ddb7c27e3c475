import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Every statement on `take_templates`.
enum TemplateStore {
    /// What a template prescribes, stored whole as JSON.
    struct Recipe: Codable, Sendable, Equatable {
        var clips: [TemplateClipSlot]
        var transitions: [TemplateTransition]
        var effects: [TemplateEffect]
        var beatMarkersMs: [Int]
        var textOverlays: [TemplateTextOverlay]
    }

    struct TemplateRow: Decodable, Sendable {
        var id: TemplateID
        var creatorId: AccountID
        var name: String
        var sourceTakeId: PostID?
        var soundId: SoundID?
        var soundStartMs: Int64?
        var recipe: String
        var durationMs: Int64
        var useCount: Int64
        var createdAt: Int64

        func decodedRecipe() throws -> Recipe { try JSONDecoder().decode(Recipe.self, from: Data(recipe.utf8)) }
    }

    static func insert(_ row: TemplateRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO take_templates (id, creator_id, name, source_take_id, sound_id, sound_start_ms, recipe, duration_ms, use_count, created_at)
            VALUES (\(bind: row.id.rawValue), \(bind: row.creatorId.rawValue), \(bind: row.name), \(bind: row.sourceTakeId?.rawValue),
                    \(bind: row.soundId?.rawValue), \(bind: row.soundStartMs), \(bind: row.recipe), \(bind: row.durationMs), 0, \(bind: row.createdAt))
            """).run()
    }

    static func find(_ ids: [TemplateID], on db: any SQLDatabase, lock: String = "") async throws -> [TemplateRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT * FROM take_templates WHERE id IN (\(binds: ids.map(\.rawValue)))\(unsafeRaw: lock)").all()
            .map { try $0.decode(TemplateRow.self) }
    }

    static func count(by creator: AccountID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM take_templates WHERE creator_id = \(bind: creator.rawValue)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func bumpUses(_ id: TemplateID, by delta: Int, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE take_templates SET use_count = use_count + \(bind: delta) WHERE id = \(bind: id.rawValue)").run()
    }

    static func delete(_ id: TemplateID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM take_templates WHERE id = \(bind: id.rawValue)").run()
    }

    /// Newest first, below `before`, optionally one creator's.
    static func newest(creator: AccountID?, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [TemplateRow] {
        var creatorFilter: SQLQueryString = ""
        if let creator { creatorFilter = "AND creator_id = \(bind: creator.rawValue)" }
        return try await db.raw("""
            SELECT * FROM take_templates WHERE id < \(bind: before ?? Int64.max) \(creatorFilter) ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(TemplateRow.self) }
    }

    /// Templates by how many live Takes used them since `since`, most first; ties by ID. Only
    /// templates with a use in the window: the count reads that window's Takes, not every template.
    static func trending(since: Int64, creator: AccountID?, limit: Int, on db: any SQLDatabase) async throws -> [(template: TemplateID, uses: Int)] {
        var creatorFilter: SQLQueryString = ""
        if let creator { creatorFilter = "AND t.template_id IN (SELECT id FROM take_templates WHERE creator_id = \(bind: creator.rawValue))" }
        return try await db.raw("""
            SELECT t.template_id AS id, COUNT(*) AS uses FROM takes t
            WHERE t.template_id IS NOT NULL AND t.deleted_at IS NULL AND t.created_at >= \(bind: since) \(creatorFilter)
            GROUP BY t.template_id ORDER BY uses DESC, t.template_id DESC LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "id", as: TemplateID.self), try $0.decode(column: "uses", as: Int.self)) }
    }

    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM take_templates WHERE creator_id = \(bind: account.rawValue)").run()
    }
}
