import EntativaCore
import EntativaModels
import Foundation

/// Turns Take rows into what one viewer receives, a page at a time: the posts (through Posts'
/// visibility rule, so a Take the viewer may not see drops out), sounds, template credits,
/// trend credits and Behind-the-Take flags are each loaded once for the whole page.
struct TakeRenderer: Sendable {
    let env: TakesEnvironment

    func render(_ rows: [TakeStore.TakeRow], viewer: Principal?) async throws -> [Take] {
        let live = rows.filter { $0.deletedAt == nil }
        guard !live.isEmpty else { return [] }
        let db = env.database.sql
        let ids = live.map(\.postId)
        let posts = Dictionary(uniqueKeysWithValues: try await env.posts.render(ids, viewer: viewer).map { ($0.id, $0) })
        let shown = live.filter { posts[$0.postId] != nil }
        let shownIDs = shown.map(\.postId)

        let sounds = try await renderSounds(Array(Set(shown.compactMap(\.soundId))), viewer: viewer)
        let templates = try await TemplateStore.find(Array(Set(shown.compactMap(\.templateId))), on: db)
        let entries = try await TrendStore.entries(of: shownIDs, on: db)
        let trends = Dictionary(uniqueKeysWithValues: try await TrendStore.find(Array(Set(entries.map(\.trendId))), on: db).map { ($0.id, $0) })
        let accounts = try await env.visibleAccounts(templates.map(\.creatorId) + trends.values.map(\.originatorId), viewer: viewer)
        let origins = try await env.visiblePosts(Array(Set(trends.values.map(\.originTakeId))), viewer: viewer)
        let withBTT = try await BehindTheTakeStore.existing(among: shownIDs, on: db)
        let templateCredits = Dictionary(uniqueKeysWithValues: templates.map {
            ($0.id, TemplateCredit(templateId: $0.id, name: $0.name, creator: accounts[$0.creatorId]))
        })
        let credits = Dictionary(grouping: entries, by: \.takeId).mapValues { entries in
            entries.compactMap { entry -> TrendCredit? in
                guard let trend = trends[entry.trendId] else { return nil }
                return TrendCredit(
                    trendId: trend.id, kind: trend.kind, key: trend.key, originator: accounts[trend.originatorId],
                    originTakeId: origins.contains(trend.originTakeId) ? trend.originTakeId : nil, isOrigin: trend.originTakeId == entry.takeId)
            }.sorted { $0.trendId < $1.trendId }
        }
        return shown.compactMap { row in
            guard let post = posts[row.postId] else { return nil }
            return Take(
                id: row.postId, post: post, durationMs: Int(row.durationMs), width: row.width, height: row.height, orientation: row.orientation,
                coverAtMs: Int(row.coverAtMs), allowRemix: row.allowRemix, allowDuet: row.allowDuet, sound: row.soundId.flatMap { sounds[$0] },
                soundStartMs: row.soundId == nil ? nil : row.soundStartMs.map(Int.init), viewCount: Int(row.viewCount),
                hasBehindTheTake: withBTT.contains(row.postId), template: row.templateId.flatMap { templateCredits[$0] },
                trends: credits[row.postId] ?? [], createdAt: Date(millisecondsSince1970: row.createdAt))
        }
    }

    func render(_ row: TakeStore.TakeRow, viewer: Principal?) async throws -> Take {
        guard let take = try await render([row], viewer: viewer).first else { throw AppError.notFound("take") }
        return take
    }

    /// Sounds as a viewer hears them: a creator they may not see is left out, and the audio is
    /// given only while they may see the Take that brought it (the rule for reusing it), so a
    /// sound from a narrow audience never leaks through a Take or template that reuses it.
    func renderSounds(_ ids: [SoundID], viewer: Principal?) async throws -> [SoundID: TakeSound] {
        guard !ids.isEmpty else { return [:] }
        let db = env.database.sql
        let rows = try await TakeStore.sounds(ids, on: db)
        let uses = try await TakeStore.soundUses(ids, on: db)
        let creators = try await env.visibleAccounts(rows.map(\.creatorId), viewer: viewer)
        let origins = try await env.visiblePosts(rows.map(\.originTakeId), viewer: viewer)
        let media = try await env.attachments.attachments(rows.filter { origins.contains($0.originTakeId) }.map(\.mediaId))
        return Dictionary(uniqueKeysWithValues: rows.map { row in
            let creator = creators[row.creatorId]
            return (
                row.id,
                TakeSound(
                    id: row.id, title: row.title, creator: creator, durationMs: Int(row.durationMs), media: creator == nil ? nil : media[row.mediaId],
                    useCount: uses[row.id] ?? 0)
            )
        })
    }
}
