import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Posting, reading, editing and deleting Takes. A Take is a post with a checked video: Posts
/// writes the post, and in the same transaction this writes what only a Take has.
public struct TakePosting: Sendable {
    let env: TakesEnvironment

    public init(env: TakesEnvironment) { self.env = env }

    static func soundReference(_ id: SoundID) -> String { "sound:\(id)" }
    static let maxOffsetMillis = 3_600_000

    public func create(_ form: CreateTakeRequest, caller: Principal) async throws -> Take {
        let settings = env.settings
        var validator = Validator()
        validator.length(form.caption, "caption", max: settings.maxCaption, allowingLineBreaks: true)
        if let cover = form.coverAtMs {
            validator.check((0...settings.maxDurationMillis).contains(cover), "cover_at_ms", "out_of_range", "must be from 0 to \(settings.maxDurationMillis)")
        }
        if let music = form.music { check(music, into: &validator) }
        try validator.validate()

        var reused: TakeStore.SoundRow?
        if let sound = form.music?.soundId { reused = try await reusableSound(sound, caller: caller) }
        var visibleTemplate: TemplateStore.TemplateRow?
        if let id = form.templateId {
            guard let row = try await TemplateStore.find([id], on: env.database.sql).first,
                try await !TemplateAccess(env: env).visible([row], viewer: caller).isEmpty
            else { throw AppError.invalid(field: "template_id", code: "not_found", message: "no such template") }
            visibleTemplate = row
        }
        let template = visibleTemplate
        let reusedSound = reused
        let audience = form.audience ?? .public
        let postForm = CreatePostRequest(text: form.caption ?? "", mediaIds: [form.mediaId], audience: audience, commentPolicy: form.commentPolicy)
        let env = self.env
        let newSound = form.music?.mediaId == nil ? nil : env.kernel.ids.next(SoundID.self)
        let startsTrends = try await TrendJoining(env: env).startsTrends(audience: audience, author: caller.accountID)
        // Read before the transaction (which holds a connection) and reported only once attaching
        // has proven the files are the caller's and ready.
        let video = await Self.outcome { try await Self.checkedVideo(form.mediaId, coverAtMs: form.coverAtMs, settings: settings, env: env) }
        var audioCheck: Result<Int64, any Error>?
        if let audio = form.music?.mediaId {
            audioCheck = await Self.outcome { try await Self.checkedAudio(audio, startMs: form.music?.startMs ?? 0, env: env) }
        }
        if let reusedSound = reused, Int64(form.music?.startMs ?? 0) >= reusedSound.durationMs {
            throw AppError.invalid(field: "music.start_ms", code: "out_of_range", message: "must fall within the sound's \(reusedSound.durationMs) ms")
        }
        let audioDuration = audioCheck
        let post = try await env.publishing.create(postForm, caller: caller, mediaField: "media_id") { published, db in
            // Measured on the file, which attaching has just proven to be the caller's and ready.
            let video = try video.get()
            var sound = reusedSound
            if let newSound, let music = form.music, let audio = music.mediaId {
                // Signed URLs always: the Take that brought it may narrow or go, and every Take
                // reusing it would keep a public copy.
                try await env.attachments.attach(
                    [audio], owner: caller.accountID, to: Self.soundReference(newSound), isPrivate: true, field: "music.media_id", on: db)
                guard let duration = try audioDuration?.get() else { return }
                let row = TakeStore.SoundRow(
                    id: newSound, mediaId: audio, creatorId: caller.accountID, originTakeId: published.id,
                    title: music.title ?? "Original sound", durationMs: duration, createdAt: published.at)
                try await TakeStore.insertSound(row, on: db)
                sound = row
            }
            if let template { try await TemplateStore.bumpUses(template.id, by: 1, on: db) }
            try await TakeStore.insert(
                .init(
                    postId: published.id, authorId: caller.accountID, mediaId: form.mediaId, durationMs: video.durationMs, width: video.width,
                    height: video.height, orientation: video.orientation, coverAtMs: Int64(form.coverAtMs ?? 0), allowRemix: form.allowRemix ?? true,
                    allowDuet: form.allowDuet ?? true, soundId: sound?.id, soundStartMs: sound == nil ? nil : Int64(form.music?.startMs ?? 0),
                    templateId: template?.id, createdAt: published.at, deletedAt: nil, viewCount: 0, completionSum: 0, rewatchSum: 0, watchMsSum: 0),
                on: db)
            var keys = published.hashtags.map { (TrendKind.hashtag, $0.lowercased()) }
            if let sound { keys.append((.sound, sound.id.description)) }
            if let template { keys.append((.template, template.id.description)) }
            try await TrendJoining(env: env).join(
                published.id, author: caller.accountID, keys: keys, at: published.at, startsTrends: startsTrends, on: db)
        }
        return try await get(post.id, viewer: caller)
    }

    static func outcome<Value>(_ body: () async throws -> Value) async -> Result<Value, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    private func check(_ music: TakeMusicInput, into validator: inout Validator) {
        validator.check(
            (music.mediaId == nil) != (music.soundId == nil), "music", "one_of", "names either my audio (media_id) or a sound to reuse (sound_id)")
        if let title = music.title {
            validator.check(music.mediaId != nil, "music.title", "not_allowed", "only a new sound takes a title")
            validator.length(title, "music.title", max: env.settings.maxSoundTitle, min: 1)
        }
        if let start = music.startMs {
            validator.check((0...Self.maxOffsetMillis).contains(start), "music.start_ms", "out_of_range", "must be from 0 to \(Self.maxOffsetMillis)")
        }
    }

    struct CheckedVideo {
        var durationMs: Int64
        var width: Int
        var height: Int
        var orientation: TakeOrientation
    }

    /// A Take lasts 15–90 seconds by ffprobe's reading of the file, whatever the client says.
    /// Containers pad audio past the video by a few tens of milliseconds, so the upper bound
    /// has `durationSlackMillis` of slack; the lower has none.
    static func checkedVideo(_ id: MediaID, coverAtMs: Int?, settings: TakesSettings, env: TakesEnvironment) async throws -> CheckedVideo {
        guard let media = try await env.attachments.attachments([id])[id], media.kind == .video else {
            throw AppError.invalid(field: "media_id", code: "unsupported", message: "a Take is one video")
        }
        guard let seconds = media.durationSeconds, seconds.isFinite, let width = media.width, let height = media.height, width > 0, height > 0 else {
            throw AppError.invalid(field: "media_id", code: "unreadable", message: "the video's length or size is unknown")
        }
        let millis = Int64((seconds * 1000).rounded())
        let slack = Int64(settings.durationSlackMillis)
        guard millis >= Int64(settings.minDurationMillis) else {
            throw AppError.invalid(field: "media_id", code: "too_short", message: "a Take lasts at least \(settings.minDurationMillis / 1000) seconds; this one lasts \(String(format: "%.1f", seconds))")
        }
        guard millis <= Int64(settings.maxDurationMillis) + slack else {
            throw AppError.invalid(field: "media_id", code: "too_long", message: "a Take lasts at most \(settings.maxDurationMillis / 1000) seconds; this one lasts \(String(format: "%.1f", seconds))")
        }
        if let coverAtMs, Int64(coverAtMs) > millis {
            throw AppError.invalid(field: "cover_at_ms", code: "out_of_range", message: "must be within the video's \(millis) ms")
        }
        let orientation: TakeOrientation = height > width ? .portrait : width > height ? .landscape : .square
        return CheckedVideo(durationMs: millis, width: width, height: height, orientation: orientation)
    }

    /// The audio's length in milliseconds, once it proves to be audio that `startMs` falls within.
    static func checkedAudio(_ id: MediaID, startMs: Int, env: TakesEnvironment) async throws -> Int64 {
        guard let media = try await env.attachments.attachments([id])[id], media.kind == .audio, let seconds = media.durationSeconds, seconds > 0 else {
            throw AppError.invalid(field: "music.media_id", code: "unsupported", message: "a sound is one audio file")
        }
        let millis = Int64((seconds * 1000).rounded())
        guard Int64(startMs) < millis else {
            throw AppError.invalid(field: "music.start_ms", code: "out_of_range", message: "must fall within the sound's \(millis) ms")
        }
        return millis
    }

    /// A sound the caller may reuse: one whose origin Take they may see now.
    func reusableSound(_ id: SoundID, caller: Principal) async throws -> TakeStore.SoundRow {
        guard let row = try await TakeStore.sounds([id], on: env.database.sql).first,
            try await env.visiblePosts([row.originTakeId], viewer: caller).contains(row.originTakeId)
        else { throw AppError.invalid(field: "music.sound_id", code: "not_found", message: "no such sound") }
        return row
    }

    public func get(_ id: PostID, viewer: Principal?) async throws -> Take {
        guard let row = try await TakeStore.find(id, on: env.database.sql) else { throw AppError.notFound("take") }
        return try await TakeRenderer(env: env).render(row, viewer: viewer)
    }

    /// Caption, audience and comment policy go through Posts (which keeps the edit history);
    /// the cover and the remix and duet flags are the Take's own.
    public func update(_ id: PostID, form: UpdateTakeRequest, caller: Principal) async throws -> Take {
        var validator = Validator()
        validator.length(form.caption, "caption", max: env.settings.maxCaption, allowingLineBreaks: true)
        try validator.validate()
        let row = try await own(id, caller: caller)
        if let cover = form.coverAtMs {
            guard (0...row.durationMs).contains(Int64(cover)) else {
                throw AppError.invalid(field: "cover_at_ms", code: "out_of_range", message: "must be within the video's \(row.durationMs) ms")
            }
        }
        if form.caption != nil || form.audience != nil || form.commentPolicy != nil {
            _ = try await env.publishing.update(id, form: UpdatePostRequest(text: form.caption, audience: form.audience, commentPolicy: form.commentPolicy), caller: caller)
        }
        if form.coverAtMs != nil || form.allowRemix != nil || form.allowDuet != nil {
            try await env.database.transaction { db in
                try await TakeStore.update(
                    id, coverAtMs: form.coverAtMs.map(Int64.init) ?? row.coverAtMs, allowRemix: form.allowRemix ?? row.allowRemix,
                    allowDuet: form.allowDuet ?? row.allowDuet, on: db)
            }
        }
        return try await get(id, viewer: caller)
    }

    /// Deletes the post; the Take follows when Posts announces it (`TakeEvents`).
    public func delete(_ id: PostID, caller: Principal) async throws {
        _ = try await own(id, caller: caller)
        try await env.publishing.delete(id, caller: caller)
    }

    /// The caller's own live Take; anyone else's is a 404.
    func own(_ id: PostID, caller: Principal) async throws -> TakeStore.TakeRow {
        guard let row = try await TakeStore.find(id, on: env.database.sql), row.deletedAt == nil, row.authorId == caller.accountID,
            try await env.visiblePosts([id], viewer: caller).contains(id)
        else { throw AppError.notFound("take") }
        return row
    }

    /// An account's Takes that `viewer` may see, newest first.
    public func list(of account: AccountID, viewer: Principal?, page: PageRequest) async throws -> Page<Take> {
        _ = try await env.profiles.account(account, viewer: viewer, counts: false)
        return try await pageOfTakes(viewer: viewer, page: page) { before, count in
            try await TakeStore.by(account, before: before, limit: count, on: env.database.sql)
        }
    }

    /// The Takes using a sound that `viewer` may see, newest first.
    public func using(sound: SoundID, viewer: Principal?, page: PageRequest) async throws -> Page<Take> {
        try await pageOfTakes(viewer: viewer, page: page) { before, count in
            try await TakeStore.using(sound: sound, before: before, limit: count, on: env.database.sql)
        }
    }

    /// Reads newest-first rows in batches until a page of visible Takes is full, so invisible
    /// ones neither leak nor leave empty pages while more exist; gives up after 1,000 rows read.
    func pageOfTakes(
        viewer: Principal?, page: PageRequest, fetch: (_ before: Int64?, _ count: Int) async throws -> [TakeStore.TakeRow]
    ) async throws -> Page<Take> {
        var shown: [Take] = []
        var before = page.before
        var scanned = 0
        var exhausted = false
        while shown.count <= page.limit && scanned < 1_000 {
            let batchSize = max(page.limit * 2, 40)
            let batch = try await fetch(before, batchSize)
            scanned += batch.count
            shown += try await TakeRenderer(env: env).render(batch, viewer: viewer)
            before = batch.last?.postId.rawValue
            if batch.count < batchSize {
                exhausted = true
                break
            }
        }
        if shown.count <= page.limit && !exhausted {
            // The scan stopped short of a full page: the cursor points past what it read.
            return Page(items: shown, nextCursor: before.map(String.init))
        }
        let (items, next) = PageRequest.split(shown, limit: page.limit) { $0.id.description }
        return Page(items: items, nextCursor: next)
    }
}
