import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Highlights: ordered sets of the owner's stories, live or archived, kept on the profile. A
/// viewer sees a highlight's stories by the story rule without expiry (`canSeeInHighlight`): a
/// close-friends story in a highlight still reaches only close friends.
public struct Highlights: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    static let maxHighlights = 100
    static let maxStories = 100
    static let maxTitle = 40

    public func create(_ form: CreateHighlightRequest, caller: Principal) async throws -> Highlight {
        try await check(title: form.title, cover: form.cover, stories: form.storyIds, caller: caller)
        let env = self.env
        let id = env.kernel.ids.next(HighlightID.self)
        let now = env.now
        try await env.database.transaction { db in
            try await env.database.lock("stories.highlights", [caller.accountID.rawValue], on: db)
            let existing = try await HighlightStore.highlights(of: caller.accountID, on: db)
            guard existing.count < Self.maxHighlights else {
                throw AppError.conflict("You already have \(Self.maxHighlights) highlights; delete one first.", code: "highlight-limit")
            }
            try await HighlightStore.insert(
                .init(
                    id: id, ownerId: caller.accountID, title: form.title, coverEmoji: form.cover?.emoji, coverColor: form.cover?.color?.lowercased(),
                    coverStoryId: form.cover?.storyId, pinned: form.pinned == true ? 1 : 0,
                    position: (existing.map(\.position).max() ?? -1) + 1, createdAt: now, updatedAt: now), on: db)
            try await HighlightStore.setStories(of: id, form.storyIds, on: db)
        }
        return try await get(id, viewer: caller)
    }

    public func update(_ id: HighlightID, form: UpdateHighlightRequest, caller: Principal) async throws -> Highlight {
        let env = self.env
        try await env.database.transaction { db in
            guard var row = try await HighlightStore.find(id, on: db, lock: env.database.forUpdate), row.ownerId == caller.accountID else {
                throw AppError.notFound("highlight")
            }
            let stories = try await form.storyIds.asyncOrElse { try await HighlightStore.stories(of: [id], on: db)[id] ?? [] }
            let stored = HighlightCover(emoji: row.coverEmoji, color: row.coverColor, storyId: row.coverStoryId)
            // A highlight made without a cover, or whose cover story was deleted, has none to keep.
            let cover = form.cover ?? (stored == HighlightCover() ? nil : stored)
            try await check(title: form.title ?? row.title, cover: cover, stories: stories, caller: caller, on: db)
            row.title = form.title ?? row.title
            (row.coverEmoji, row.coverColor, row.coverStoryId) = (cover?.emoji, cover?.color?.lowercased(), cover?.storyId)
            row.pinned = form.pinned.map { $0 ? 1 : 0 } ?? row.pinned
            row.updatedAt = env.now
            try await HighlightStore.update(row, on: db)
            if let storyIDs = form.storyIds { try await HighlightStore.setStories(of: id, storyIDs, on: db) }
        }
        return try await get(id, viewer: caller)
    }

    public func delete(_ id: HighlightID, caller: Principal) async throws {
        let env = self.env
        try await env.database.transaction { db in
            guard let row = try await HighlightStore.find(id, on: db, lock: env.database.forUpdate), row.ownerId == caller.accountID else {
                throw AppError.notFound("highlight")
            }
            try await HighlightStore.delete(row.id, on: db)
        }
    }

    /// Puts my highlights in the order given, which must name each of them once.
    public func reorder(_ form: ReorderHighlightsRequest, caller: Principal) async throws -> Page<Highlight> {
        let env = self.env
        try await env.database.transaction { db in
            try await env.database.lock("stories.highlights", [caller.accountID.rawValue], on: db)
            let mine = try await HighlightStore.highlights(of: caller.accountID, on: db).map(\.id)
            guard form.highlightIds.count == mine.count, Set(form.highlightIds) == Set(mine) else {
                throw AppError.invalid(field: "highlight_ids", code: "mismatch", message: "must name each of your highlights once")
            }
            for (position, id) in form.highlightIds.enumerated() { try await HighlightStore.setPosition(id, position, on: db) }
        }
        return try await list(of: caller.accountID, viewer: caller)
    }

    /// One highlight with the stories the viewer may watch; 404 when the viewer may see none of
    /// the owner's content or none of its stories.
    public func get(_ id: HighlightID, viewer: Principal?) async throws -> Highlight {
        let db = env.database.sql
        guard let row = try await HighlightStore.find(id, on: db) else { throw AppError.notFound("highlight") }
        let (owner, shown, context) = try await visibleStories(of: [row], viewer: viewer)
        let stories = shown[id] ?? []
        guard let owner, viewer?.accountID == row.ownerId || !stories.isEmpty else { throw AppError.notFound("highlight") }
        let rendered = try await StoryRenderer(env: env).render(stories, context: context)
        return dto(row, owner: owner, shown: stories.map(\.id), stories: rendered)
    }

    /// An account's highlights as its profile shows them: pinned first, then in the owner's order.
    /// 403 for a private account whose content the viewer may not see (as for its posts).
    public func list(of account: AccountID, viewer: Principal?) async throws -> Page<Highlight> {
        let owner = try await env.profiles.account(account, viewer: viewer, counts: false)
        let connections = try await env.connections.of(viewer?.accountID, with: [account])
        if viewer?.accountID != account, !connections.reachesEveryone(of: owner) {
            throw AppError.forbidden("This account is private; only its followers see its highlights.")
        }
        let rows = try await HighlightStore.highlights(of: account, on: env.database.sql)
        let (_, shown, _) = try await visibleStories(of: rows, viewer: viewer)
        let items = rows.compactMap { row -> Highlight? in
            let visible = (shown[row.id] ?? []).map(\.id)
            guard !visible.isEmpty || viewer?.accountID == account else { return nil }
            return dto(row, owner: owner, shown: visible, stories: nil)
        }
        return Page(items: items, nextCursor: nil)
    }

    private func visibleStories(
        of rows: [HighlightStore.HighlightRow], viewer: Principal?
    ) async throws -> (owner: Account?, stories: [HighlightID: [StoryStore.StoryRow]], context: StoryAccess.Context) {
        let db = env.database.sql
        let ids = try await HighlightStore.stories(of: rows.map(\.id), on: db)
        let stories = try await StoryStore.find(Array(Set(ids.values.flatMap { $0 })), on: db)
        var context = try await StoryAccess(env: env).context(for: stories, viewer: viewer)
        if context.authors.isEmpty, let owner = rows.first?.ownerId {
            // A highlight whose stories are all gone still has an owner to show its owner.
            context.authors = Dictionary(uniqueKeysWithValues: try await env.profiles.accounts([owner], viewer: viewer).map { ($0.id, $0) })
        }
        let byID = Dictionary(uniqueKeysWithValues: stories.map { ($0.id, $0) })
        var shown: [HighlightID: [StoryStore.StoryRow]] = [:]
        for row in rows {
            shown[row.id] = (ids[row.id] ?? []).compactMap { byID[$0] }.filter { $0.authorId == row.ownerId && context.canSeeInHighlight($0) }
        }
        return (rows.first.flatMap { context.authors[$0.ownerId] }, shown, context)
    }

    /// `shown`: the stories the viewer may watch. A cover story outside them is left out, so a
    /// close-friends or hidden story's ID never reaches anyone else.
    private func dto(_ row: HighlightStore.HighlightRow, owner: Account, shown: [StoryID], stories: [Story]?) -> Highlight {
        let coverStory = row.coverStoryId.flatMap { shown.contains($0) ? $0 : nil }
        return Highlight(
            id: row.id, owner: owner, title: row.title,
            cover: HighlightCover(emoji: row.coverEmoji, color: row.coverColor, storyId: coverStory), pinned: row.pinned != 0,
            storyCount: shown.count, stories: stories, createdAt: Date(millisecondsSince1970: row.createdAt),
            updatedAt: Date(millisecondsSince1970: row.updatedAt))
    }

    /// A title, a cover that is an emoji (with an optional colour) or one of the highlight's own
    /// stories, and 1–100 distinct stories of the caller's, live or archived.
    private func check(title: String, cover: HighlightCover?, stories: [StoryID], caller: Principal, on db: (any SQLDatabase)? = nil) async throws {
        var validator = Validator()
        validator.check(!title.trimmingCharacters(in: .whitespaces).isEmpty, "title", "blank", "must not be blank")
        validator.length(title, "title", max: Self.maxTitle)
        validator.check((1...Self.maxStories).contains(stories.count), "story_ids", "count", "must name 1 to \(Self.maxStories) stories")
        validator.check(Set(stories).count == stories.count, "story_ids", "duplicate", "names a story twice")
        if let cover {
            validator.check((cover.emoji == nil) != (cover.storyId == nil), "cover", "one_of", "is an emoji or a story, not both")
            validator.check(cover.storyId == nil || cover.color == nil, "cover.color", "not_allowed", "colours an emoji cover only")
            if let emoji = cover.emoji { validator.check(StickerInputs.isOneEmoji(emoji), "cover.emoji", "invalid", "must be one emoji") }
            if let color = cover.color {
                validator.check(color.wholeMatch(of: /#[0-9a-fA-F]{6}/) != nil, "cover.color", "invalid", "must be #rrggbb")
            }
            if let story = cover.storyId { validator.check(stories.contains(story), "cover.story_id", "not_in_highlight", "must be one of its stories") }
        }
        try validator.validate()
        let found = try await StoryStore.find(stories, on: db ?? env.database.sql)
        let mine = Set(found.filter { $0.authorId == caller.accountID && $0.mediaId != nil }.map(\.id))
        if let missing = stories.first(where: { !mine.contains($0) }) {
            throw AppError.invalid(field: "story_ids", code: "not_found", message: "story \(missing) is not one of yours")
        }
    }
}

extension Optional {
    fileprivate func asyncOrElse(_ fallback: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let self { return self }
        return try await fallback()
    }
}
