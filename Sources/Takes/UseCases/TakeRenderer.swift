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
        let templates = try await TemplateAccess(env: env).visible(try await TemplateStore.find(Array(Set(shown.compactMap(\.templateId))), on: db), viewer: viewer)
        let entries = try await TrendStore.entries(of: shownIDs, on: db)
        let trends = Dictionary(uniqueKeysWithValues: try await TrendStore.find(Array(Set(entries.map(\.trendId))), on: db).map { ($0.id, $0) })
        let credits = try await TrendCredits(env: env).credit(Array(trends.values), viewer: viewer)
        let accounts = try await env.visibleAccounts(templates.map(\.creatorId), viewer: viewer)
        let withBTT = try await BehindTheTakeStore.existing(among: shownIDs, on: db)
        let templateCredits = Dictionary(uniqueKeysWithValues: templates.map {
            ($0.id, TemplateCredit(templateId: $0.id, name: $0.name, creator: accounts[$0.creatorId]))
        })
        let takeCredits = Dictionary(grouping: entries, by: \.takeId).mapValues { entries in
            entries.compactMap { entry -> TrendCredit? in
                guard let trend = trends[entry.trendId], let credit = credits[trend.id] else { return nil }
                return TrendCredit(
                    trendId: trend.id, kind: trend.kind, key: trend.key, originator: credit.originator, originTakeId: credit.originTake,
                    isOrigin: trend.originTakeId == entry.takeId)
            }.sorted { $0.trendId < $1.trendId }
        }
        return shown.compactMap { row in
            guard let post = posts[row.postId] else { return nil }
            return Take(
                id: row.postId, post: post, durationMs: Int(row.durationMs), width: row.width, height: row.height, orientation: row.orientation,
                coverAtMs: Int(row.coverAtMs), allowRemix: row.allowRemix, allowDuet: row.allowDuet, sound: row.soundId.flatMap { sounds[$0] },
                soundStartMs: row.soundId == nil ? nil : row.soundStartMs.map(Int.init), viewCount: Int(row.viewCount),
                hasBehindTheTake: withBTT.contains(row.postId), template: row.templateId.flatMap { templateCredits[$0] },
                trends: takeCredits[row.postId] ?? [], createdAt: Date(millisecondsSince1970: row.createdAt))
        }
    }

    func render(_ row: TakeStore.TakeRow, viewer: Principal?) async throws -> Take {
        guard let take = try await render([row], viewer: viewer).first else { throw AppError.notFound("take") }
        return take
    }

    /// Sounds as a viewer hears them: only while they may see the Take that brought it (the rule
    /// for reusing it), so neither the audio nor its title or creator leak through a Take or
    /// template that reuses it; a creator they may not see is left out.
    func renderSounds(_ ids: [SoundID], viewer: Principal?) async throws -> [SoundID: TakeSound] {
        guard !ids.isEmpty else { return [:] }
        let db = env.database.sql
        let all = try await TakeStore.sounds(ids, on: db)
        let origins = try await env.visiblePosts(all.map(\.originTakeId), viewer: viewer)
        let rows = all.filter { origins.contains($0.originTakeId) }
        let uses = try await TakeStore.soundUses(rows.map(\.id), on: db)
        let creators = try await env.visibleAccounts(rows.map(\.creatorId), viewer: viewer)
        let media = try await env.attachments.attachments(rows.map(\.mediaId))
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

/// Who a viewer is told started each trend. The origin Take shows while they may see it; the
/// originator while they may see that Take, or after it was deleted while the account is one
/// they may see and public (a trend starts only from a public Take by a public account, so the
/// credit reveals nothing its audience did not already see).
struct TrendCredits: Sendable {
    let env: TakesEnvironment

    struct Credit: Sendable {
        var originator: Account?
        var originTake: PostID?
    }

    func credit(_ trends: [TrendStore.TrendRow], viewer: Principal?) async throws -> [TrendID: Credit] {
        let originTakes = trends.map(\.originTakeId)
        let visible = try await env.visiblePosts(originTakes, viewer: viewer)
        let deleted = try await TakeStore.deleted(among: originTakes, on: env.database.sql)
        let accounts = try await env.visibleAccounts(trends.map(\.originatorId), viewer: viewer)
        return Dictionary(uniqueKeysWithValues: trends.map { trend in
            let account = accounts[trend.originatorId]
            let shown = visible.contains(trend.originTakeId) || (deleted.contains(trend.originTakeId) && account?.isPrivate == false)
            return (trend.id, Credit(originator: shown ? account : nil, originTake: visible.contains(trend.originTakeId) ? trend.originTakeId : nil))
        })
    }
}
