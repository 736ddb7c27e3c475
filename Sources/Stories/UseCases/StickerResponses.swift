import EntativaCore
import EntativaModels
import Foundation

/// Viewers answering stickers, and the author reading who answered what.
public struct StickerResponses: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    /// The realtime event the author's sockets get for each answer.
    static let realtimeType = "story.sticker_response"

    struct ResponseEvent: Codable, Sendable {
        var storyId: StoryID
        var stickerId: StickerID
        var kind: StickerKind
        var accountId: AccountID
        var answer: StickerAnswer
    }

    /// Records the caller's one answer to a sticker on a story they may watch now, tells the author,
    /// and answers the sticker as the caller now sees it.
    public func respond(story id: StoryID, sticker stickerID: StickerID, form: StickerResponseRequest, caller: Principal) async throws -> StorySticker {
        let (story, _) = try await StoryAccess(env: env).visible(id, viewer: caller)
        guard let sticker = try await StickerStore.find(stickerID, on: env.database.sql), sticker.storyId == id else {
            throw AppError.notFound("sticker")
        }
        guard story.authorId != caller.accountID else { throw AppError.forbidden("You cannot answer your own story's sticker.") }
        guard story.expiresAt > env.now else { throw AppError.notFound("story") }
        let answer = try Self.answer(form, to: sticker, now: env.now)

        let env = self.env
        let (responseID, now) = (env.kernel.ids.next(), env.now)
        let event = ResponseEvent(storyId: id, stickerId: stickerID, kind: sticker.kind, accountId: caller.accountID, answer: answer)
        let published = try await env.database.transaction { db in
            guard try await !StoryStore.existing([id], on: db, lock: env.database.forShare).isEmpty else { throw AppError.notFound("story") }
            guard try await StickerStore.respond(id: responseID, sticker: sticker, account: caller.accountID, answer: answer, now: now, on: db) else {
                throw AppError.conflict("You have already answered this sticker.", code: "already-answered")
            }
            return try await env.kernel.realtime.publish(Self.realtimeType, event, to: [story.authorId], on: db)
        }
        env.kernel.realtime.didCommit(published)
        guard let rendered = try await StickerRenderer(env: env).render([story], viewer: caller.accountID)[id]?.first(where: { $0.id == stickerID })
        else { throw AppError.notFound("sticker") }
        return rendered
    }

    /// What a kind takes from a viewer: anything else is a 422 naming the field.
    static func answer(_ form: StickerResponseRequest, to sticker: StickerStore.StickerRow, now: Int64) throws -> StickerAnswer {
        var validator = Validator()
        let takes: Set<String>
        switch sticker.kind {
        case .poll, .quiz: takes = ["option"]
        case .emojiSlider: takes = ["value"]
        case .question: takes = ["text"]
        case .countdown: takes = []
        case .mention, .location, .music:
            throw AppError.invalid(field: "sticker_id", code: "not_interactive", message: "a \(sticker.kind.rawValue) sticker takes no answers")
        }
        for (name, given) in [("option", form.option != nil), ("value", form.value != nil), ("text", form.text != nil)] {
            if takes.contains(name) {
                validator.check(given, name, "required", "a \(sticker.kind.rawValue) sticker needs it")
            } else {
                validator.check(!given, name, "not_allowed", "a \(sticker.kind.rawValue) sticker does not take it")
            }
        }
        if let option = form.option {
            validator.check(sticker.optionList.indices.contains(option), "option", "out_of_range", "must name one of the options")
        }
        if let value = form.value {
            validator.check((0...100).contains(value), "value", "out_of_range", "must be between 0 and 100")
        }
        if let text = form.text {
            validator.check(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "text", "blank", "must not be blank")
            validator.length(text, "text", max: StickerInputs.maxAnswer, allowingLineBreaks: true)
        }
        if sticker.kind == .countdown, let endsAt = sticker.endsAt {
            validator.check(endsAt > now, "sticker_id", "ended", "the countdown has ended")
        }
        try validator.validate()
        let correct = sticker.kind == .quiz ? form.option == sticker.correctOption : nil
        return StickerAnswer(option: form.option, value: form.value, text: form.text, correct: correct)
    }

    /// Who answered a sticker on my story and what, newest first. Nobody else may ask (404).
    /// Accounts I cannot see (blocked either way, suspended, deleted) drop out of the page.
    public func list(story id: StoryID, sticker stickerID: StickerID, caller: Principal, page: PageRequest) async throws -> Page<StickerResponse> {
        let db = env.database.sql
        _ = try await StoryAccess(env: env).own(id, caller: caller, on: db)
        guard let sticker = try await StickerStore.find(stickerID, on: db), sticker.storyId == id else { throw AppError.notFound("sticker") }
        let rows = try await StickerStore.responses(to: sticker.id, before: page.before, limit: page.limit + 1, on: db)
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.id) }
        let accounts = try await env.profiles.accounts(shown.map(\.accountId), viewer: caller, counts: false)
        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        return Page(
            items: shown.compactMap { row in
                byID[row.accountId].map { StickerResponse(account: $0, answer: row.answer, respondedAt: Date(millisecondsSince1970: row.respondedAt)) }
            },
            nextCursor: next)
    }
}
