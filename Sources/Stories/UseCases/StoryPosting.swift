import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Posting, reading and deleting one story.
public struct StoryPosting: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    static func mediaReference(_ id: StoryID) -> String { "story:\(id)" }

    public func create(_ form: CreateStoryRequest, caller: Principal) async throws -> Story {
        let settings = env.settings
        let caption = form.caption ?? ""
        let audience = form.audience ?? .public
        let hideFrom = Array(Set(form.hideFrom ?? [])).filter { $0 != caller.accountID }.sorted { $0.rawValue < $1.rawValue }
        var validator = Validator()
        validator.length(caption, "caption", max: settings.maxCaption, allowingLineBreaks: true)
        validator.check(
            env.audiences.contains(audience), "audience", "unsupported",
            "must be one of \(env.audiences.map(\.rawValue).joined(separator: ", ")) on \(env.platform.rawValue)")
        validator.check(
            (form.hideFrom ?? []).count <= settings.maxHideFrom, "hide_from", "too_many", "may name at most \(settings.maxHideFrom) accounts")
        if let seconds = form.displaySeconds {
            validator.check(
                (1...settings.maxImageSeconds).contains(seconds), "display_seconds", "out_of_range",
                "must be between 1 and \(settings.maxImageSeconds)")
        }
        try validator.validate()

        let media = try await env.attachments.attachments([form.mediaId])[form.mediaId]
        let audienceSize = try await reachBase(of: caller)
        let id = env.kernel.ids.next(StoryID.self)
        let now = env.now
        let stickers = try await StickerInputs(env: env).prepare(form.stickers ?? [], story: id, caller: caller, now: now)
        var reshared: ResharedAnswer?
        if let reshare = form.reshare { reshared = try await resharedAnswer(reshare, caller: caller) }
        let answer = reshared
        let answeredBy = form.reshare?.accountId
        let displayMillis = Int64(form.displaySeconds ?? settings.defaultImageSeconds) * 1000
        let env = self.env
        try await env.database.transaction { db in
            // Stories are always served through signed URLs: they vanish after a day, and a public
            // file URL would outlive them.
            // Counted inside the transaction that inserts, which holds SQLite's one writer and,
            // on PostgreSQL, the author's advisory lock, so two posts cannot both slip under it.
            try await env.database.lock("stories.author", [caller.accountID.rawValue], on: db)
            let live = try await StoryStore.liveCount(of: caller.accountID, now: now, on: db)
            guard live < settings.maxLive else {
                throw AppError.conflict("You already have \(settings.maxLive) stories in your tray; delete one or wait for one to expire.", code: "story-limit")
            }
            try await env.attachments.attach(
                [form.mediaId], owner: caller.accountID, to: Self.mediaReference(id), isPrivate: true, field: "media_id", on: db)
            // Checked after attaching, which refuses anything not the caller's without saying what it is.
            try Self.check(media, form: form, settings: settings)
            try await StoryStore.insert(
                .init(
                    id: id, author: caller.accountID, mediaID: form.mediaId, caption: caption, audience: audience, displayMillis: displayMillis,
                    audienceSize: audienceSize, now: now, expiresAt: now + settings.lifetime.milliseconds, reshared: answer, resharedFrom: answeredBy), on: db)
            try await StoryStore.hide(id, from: hideFrom, on: db)
            for (index, music) in stickers.musicChecks.enumerated() {
                try await env.attachments.attach(
                    [music.track], owner: caller.accountID, to: "\(Self.mediaReference(id)):music:\(index)", isPrivate: true,
                    field: "\(music.field).media_id", on: db)
            }
            try stickers.checkMusic()
            for sticker in stickers.rows {
                try await StickerStore.insert(sticker, on: db)
                try await Countdowns(env: env).schedule(sticker, on: db)
            }
            try await env.kernel.events.publish(StoryPosted(storyId: id, authorId: caller.accountID, mentioned: stickers.mentioned), on: db)
        }
        return try await get(id, viewer: caller)
    }

    private static func check(_ media: MediaAttachment?, form: CreateStoryRequest, settings: StoriesSettings) throws {
        var validator = Validator()
        switch media?.kind {
        case .image:
            break
        case .video:
            validator.check(form.displaySeconds == nil, "display_seconds", "not_allowed", "a video plays for its own length")
            let seconds = media?.durationSeconds ?? 0
            validator.check(
                seconds > 0 && seconds <= Double(settings.maxVideoSeconds), "media_id", "too_long",
                "a video story lasts at most \(settings.maxVideoSeconds) seconds")
        default:
            validator.add("media_id", "unsupported", "a story is one image or one video")
        }
        try validator.validate()
    }

    /// The prompt and the text of an answer to a question sticker on one of the caller's stories.
    private func resharedAnswer(_ reshare: ReshareAnswer, caller: Principal) async throws -> ResharedAnswer {
        let db = env.database.sql
        guard let sticker = try await StickerStore.find(reshare.stickerId, on: db), sticker.kind == .question,
            let story = try await StoryStore.find(sticker.storyId, on: db), story.authorId == caller.accountID,
            let answer = try await StickerStore.answer(of: reshare.accountId, to: sticker.id, on: db), let text = answer.answerText,
            // The one who answered must still be someone the caller may see.
            !(try await env.profiles.accounts([reshare.accountId], viewer: caller, counts: false).isEmpty)
        else { throw AppError.invalid(field: "reshare", code: "not_found", message: "no such answer to a question on your stories") }
        return ResharedAnswer(question: sticker.question ?? "", text: text)
    }

    /// Followers on Vignette, friends on Entativa, when the story is posted: reach's denominator.
    private func reachBase(of caller: Principal) async throws -> Int {
        let me = try await env.profiles.me(caller)
        return env.platform == .entativa ? (me.friendsCount ?? 0) : me.followersCount
    }

    public func get(_ id: StoryID, viewer: Principal?) async throws -> Story {
        let (row, context) = try await StoryAccess(env: env).visible(id, viewer: viewer)
        guard let story = try await StoryRenderer(env: env).render([row], context: context).first else { throw AppError.notFound("story") }
        return story
    }

    /// Deletes one of the caller's stories, in the tray or in the archive, with everything about
    /// it: views, answers, its place in highlights, its media (left for the collector) and the
    /// notices that point at it or at its countdowns.
    public func delete(_ id: StoryID, caller: Principal) async throws {
        let env = self.env
        let countdowns = try await env.database.transaction { db in
            _ = try await StoryAccess(env: env).own(id, caller: caller, on: db, lock: env.database.forUpdate)
            let countdowns = try await StickerStore.stickers(of: [id], on: db).filter { $0.kind == .countdown }.map(\.id)
            try await StoryStore.delete(id, author: caller.accountID, on: db)
            try await env.attachments.release(Self.mediaReference(id), on: db)
            return countdowns
        }
        // After the commit: a notice stored meanwhile would only point at nothing (its target rule
        // hides it), and a retry of this call finds the story gone.
        try await env.kernel.notifier.withdraw(
            about: [NotificationTarget(kind: "story", id: id.description)]
                + countdowns.map { NotificationTarget(kind: Countdowns.targetKind, id: $0.description) })
    }

    /// `account`'s stories in its tray that `viewer` may see, in the order they play.
    public func live(of account: AccountID, viewer: Principal?) async throws -> Page<Story> {
        _ = try await env.profiles.account(account, viewer: viewer, counts: false)
        let rows = try await StoryStore.live(by: [account], now: env.now, on: env.database.sql)
        let context = try await StoryAccess(env: env).context(for: rows, viewer: viewer)
        return Page(items: try await StoryRenderer(env: env).render(rows.filter(context.canSee), context: context), nextCursor: nil)
    }
}
