import EntativaCore
import EntativaModels
import Foundation

/// Behind-the-Takes: how a Take was made, written by its author, seen by whoever may see the
/// Take. Views count once per viewer (the author's own do not); saves ("saved to learn") make a
/// private list for the saver.
struct BehindTheTakes: Sendable {
    let env: TakesEnvironment

    static func mediaReference(_ take: PostID) -> String { "btt:\(take)" }

    func put(_ take: PostID, form: BehindTheTakeRequest, caller: Principal) async throws -> BehindTheTake {
        typealias Limits = BehindTheTakeRequest
        var validator = Validator()
        validator.check((1...Limits.maxSteps).contains(form.steps.count), "steps", "out_of_range", "must hold from 1 to \(Limits.maxSteps) steps")
        for (index, step) in form.steps.enumerated() {
            validator.length(step.text, "steps[\(index)].text", max: Limits.maxStepText, min: 1, allowingLineBreaks: true)
        }
        for (field, list) in [("equipment", form.equipment), ("software", form.software), ("tips", form.tips)] {
            let items = list ?? []
            validator.check(items.count <= Limits.maxListItems, field, "too_many", "may hold at most \(Limits.maxListItems)")
            for (index, item) in items.enumerated() { validator.length(item, "\(field)[\(index)]", max: Limits.maxItemText, min: 1) }
        }
        let mediaIDs = form.mediaIds ?? []
        validator.check(mediaIDs.count <= Limits.maxMedia, "media_ids", "too_many", "may name at most \(Limits.maxMedia) media")
        try validator.validate()

        _ = try await TakePosting(env: env).own(take, caller: caller)
        let content = BehindTheTakeStore.Content(
            steps: form.steps.map { .init(text: $0.text, mediaId: $0.mediaId) }, equipment: form.equipment ?? [], software: form.software ?? [],
            tips: form.tips ?? [], mediaIds: mediaIDs)
        let encoded = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        let stepMedia = form.steps.compactMap(\.mediaId)
        let env = self.env
        try await env.database.transaction { db in
            // Replacing lets go of the old media first, so keeping one re-attaches it.
            try await env.attachments.release(Self.mediaReference(take), on: db)
            // Signed URLs always: the Take's audience may narrow later, and these files would not follow.
            try await env.attachments.attach(stepMedia, owner: caller.accountID, to: "\(Self.mediaReference(take)):steps", isPrivate: true, field: "steps", on: db)
            try await env.attachments.attach(mediaIDs, owner: caller.accountID, to: Self.mediaReference(take), isPrivate: true, field: "media_ids", on: db)
            try await BehindTheTakeStore.upsert(take, author: caller.accountID, content: encoded, now: env.now, on: db)
        }
        return try await get(take, viewer: caller)
    }

    func get(_ take: PostID, viewer: Principal?) async throws -> BehindTheTake {
        let row = try await visible(take, viewer: viewer)
        let content = try row.decodedContent()
        let media = try await env.attachments.attachments(content.mediaIds + content.steps.compactMap(\.mediaId))
        var saved: Bool?
        if let viewer { saved = try await BehindTheTakeStore.isSaved(take, by: viewer.accountID, on: env.database.sql) }
        return BehindTheTake(
            takeId: take, steps: content.steps.map { BehindTheTakeStep(text: $0.text, media: $0.mediaId.flatMap { media[$0] }) },
            equipment: content.equipment, software: content.software, tips: content.tips, media: content.mediaIds.compactMap { media[$0] },
            viewCount: Int(row.viewCount), savedCount: Int(row.savedCount), saved: saved, updatedAt: Date(millisecondsSince1970: row.updatedAt))
    }

    /// The Behind-the-Take of a Take `viewer` may see now; anything else is a 404.
    func visible(_ take: PostID, viewer: Principal?) async throws -> BehindTheTakeStore.Row {
        guard let row = try await BehindTheTakeStore.find(take, on: env.database.sql),
            try await env.visiblePosts([take], viewer: viewer).contains(take)
        else { throw AppError.notFound("behind-the-take") }
        return row
    }

    func view(_ take: PostID, viewer: Principal) async throws {
        let row = try await visible(take, viewer: viewer)
        guard row.authorId != viewer.accountID else { return }
        _ = try await env.database.transaction { db in try await BehindTheTakeStore.view(take, viewer: viewer.accountID, on: db) }
    }

    func save(_ take: PostID, caller: Principal) async throws {
        _ = try await visible(take, viewer: caller)
        let now = env.now
        try await env.database.transaction { db in try await BehindTheTakeStore.save(take, account: caller.accountID, now: now, on: db) }
    }

    func unsave(_ take: PostID, caller: Principal) async throws {
        try await env.database.transaction { db in try await BehindTheTakeStore.unsave(take, account: caller.accountID, on: db) }
    }

    func delete(_ take: PostID, caller: Principal) async throws {
        _ = try await TakePosting(env: env).own(take, caller: caller)
        let env = self.env
        try await env.database.transaction { db in
            guard try await BehindTheTakeStore.find(take, on: db) != nil else { throw AppError.notFound("behind-the-take") }
            try await BehindTheTakeStore.delete(take, on: db)
            try await env.attachments.release(Self.mediaReference(take), on: db)
        }
    }

    /// The Takes whose Behind-the-Take I saved to learn from, newest save first; those I may no
    /// longer see are skipped.
    func saved(caller: Principal, page: PageRequest) async throws -> Page<Take> {
        let rows = try await BehindTheTakeStore.saved(by: caller.accountID, before: page.before, limit: page.limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.savedAt) }
        let takes = try await TakeRenderer(env: env).render(try await TakeStore.live(shown.map(\.take), on: env.database.sql), viewer: caller)
        let byID = Dictionary(uniqueKeysWithValues: takes.map { ($0.id, $0) })
        return Page(items: shown.compactMap { byID[$0.take] }, nextCursor: next)
    }
}
