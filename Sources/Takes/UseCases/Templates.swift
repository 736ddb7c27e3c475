import EntativaCore
import EntativaModels
import Foundation

/// Who may see a template: anyone who may see its creator's content. A private creator's
/// templates reach only their followers (and friends); a blocked, suspended or deleted
/// creator's reach nobody.
struct TemplateAccess: Sendable {
    let env: TakesEnvironment

    func visible(_ id: TemplateID, viewer: Principal?) async throws -> TemplateStore.TemplateRow {
        guard let row = try await TemplateStore.find([id], on: env.database.sql).first,
            try await !visible([row], viewer: viewer).isEmpty
        else { throw AppError.notFound("template") }
        return row
    }

    func visible(_ rows: [TemplateStore.TemplateRow], viewer: Principal?) async throws -> [TemplateStore.TemplateRow] {
        let creators = try await env.visibleAccounts(rows.map(\.creatorId), viewer: viewer)
        var shown: [TemplateStore.TemplateRow] = []
        for row in rows {
            guard let creator = creators[row.creatorId] else { continue }
            if creator.isPrivate {
                guard let viewer, try await env.homeGraph.reaches(viewer.accountID, from: creator.id) else { continue }
            }
            shown.append(row)
        }
        return shown
    }
}

/// Templates: made from one of my Takes or from scratch, used by others to make theirs, listed
/// in a gallery (trending, newest, by creator).
struct Templates: Sendable {
    let env: TakesEnvironment

    static let maxName = 100
    static let maxClips = 20
    static let minClipMillis = 100
    static let maxTransitions = 50
    static let maxEffects = 50
    static let maxEffectName = 50
    static let maxParameters = 10
    static let maxBeatMarkers = 1_000
    static let maxOverlays = 20
    static let maxOverlayText = 200
    static let trendingHorizonMillis: Int64 = 7 * 86_400_000
    static let maxTrendingOffset = 1_000
    /// Templates one account may keep: bounds what a gallery by creator and a deletion cost.
    static let maxPerCreator = 1_000

    func create(_ form: CreateTemplateRequest, caller: Principal) async throws -> TakeTemplate {
        let maxDuration = env.settings.maxDurationMillis
        var validator = Validator()
        validator.length(form.name, "name", max: Self.maxName, min: 1)
        validator.check((1...Self.maxClips).contains(form.clips.count), "clips", "out_of_range", "must hold from 1 to \(Self.maxClips) clip slots")
        for (index, clip) in form.clips.enumerated() {
            validator.check(
                (Self.minClipMillis...maxDuration).contains(clip.durationMs), "clips[\(index)].duration_ms", "out_of_range",
                "must be from \(Self.minClipMillis) to \(maxDuration)")
        }
        let total = form.clips.reduce(0) { $0 + min(max(0, $1.durationMs), maxDuration) }
        validator.check(total <= maxDuration, "clips", "too_long", "the clips may last at most \(maxDuration) ms together")
        let timeline = 0...max(0, total)
        let transitions = form.transitions ?? []
        validator.check(transitions.count <= Self.maxTransitions, "transitions", "too_many", "may hold at most \(Self.maxTransitions)")
        for (index, transition) in transitions.enumerated() {
            validator.check(timeline.contains(transition.atMs), "transitions[\(index)].at_ms", "out_of_range", "must fall within the clips' \(total) ms")
            validator.check(
                TemplateTransition.kinds.contains(transition.kind), "transitions[\(index)].kind", "unsupported",
                "must be one of \(TemplateTransition.kinds.joined(separator: ", "))")
        }
        let effects = form.effects ?? []
        validator.check(effects.count <= Self.maxEffects, "effects", "too_many", "may hold at most \(Self.maxEffects)")
        for (index, effect) in effects.enumerated() {
            let field = "effects[\(index)]"
            validator.length(effect.name, "\(field).name", max: Self.maxEffectName, min: 1)
            validator.check(
                timeline.contains(effect.startMs) && timeline.contains(effect.endMs) && effect.startMs < effect.endMs, "\(field).end_ms", "out_of_range",
                "must start before it ends, within the clips' \(total) ms")
            validator.check(effect.parameters.count <= Self.maxParameters, "\(field).parameters", "too_many", "may hold at most \(Self.maxParameters)")
            for (name, value) in effect.parameters {
                validator.length(name, "\(field).parameters", max: Self.maxEffectName, min: 1)
                validator.check(value.isFinite && abs(value) <= 1_000_000, "\(field).parameters.\(name)", "out_of_range", "must be a number within ±1,000,000")
            }
        }
        let overlays = form.textOverlays ?? []
        validator.check(overlays.count <= Self.maxOverlays, "text_overlays", "too_many", "may hold at most \(Self.maxOverlays)")
        for (index, overlay) in overlays.enumerated() {
            let field = "text_overlays[\(index)]"
            validator.length(overlay.text, "\(field).text", max: Self.maxOverlayText, min: 1, allowingLineBreaks: true)
            validator.check(
                timeline.contains(overlay.startMs) && timeline.contains(overlay.endMs) && overlay.startMs < overlay.endMs, "\(field).end_ms",
                "out_of_range", "must start before it ends, within the clips' \(total) ms")
            validator.check((0...1).contains(overlay.x) && (0...1).contains(overlay.y), "\(field).x", "out_of_range", "x and y are fractions of the frame, from 0 to 1")
        }
        let markers = form.beatMarkersMs ?? []
        validator.check(markers.count <= Self.maxBeatMarkers, "beat_markers_ms", "too_many", "may hold at most \(Self.maxBeatMarkers)")
        validator.check(zip(markers, markers.dropFirst()).allSatisfy { $0 < $1 }, "beat_markers_ms", "unordered", "must be strictly increasing")
        if let start = form.soundStartMs {
            validator.check((0...TakePosting.maxOffsetMillis).contains(start), "sound_start_ms", "out_of_range", "must be from 0 to \(TakePosting.maxOffsetMillis)")
        }
        try validator.validate()

        let db = env.database.sql
        var source: TakeStore.TakeRow?
        if let from = form.fromTakeId {
            guard let row = try await TakeStore.find(from, on: db), row.deletedAt == nil, row.authorId == caller.accountID,
                try await env.visiblePosts([from], viewer: caller).contains(from)
            else { throw AppError.invalid(field: "from_take_id", code: "not_found", message: "not one of your Takes") }
            source = row
        }
        let soundID = form.soundId ?? source?.soundId
        // My own Take's sound comes along as it is; another sound must be one I may reuse.
        var chosenSound: TakeStore.SoundRow?
        if let soundID {
            if form.soundId == nil { chosenSound = try await TakeStore.sounds([soundID], on: db).first }
            else { chosenSound = try await TakePosting(env: env).reusableSound(soundID, caller: caller) }
        }
        let sound = chosenSound
        let soundStart = Int64(form.soundStartMs ?? (form.soundId == nil ? source?.soundStartMs.map(Int.init) : nil) ?? 0)
        // Beat markers are checked against the track: each must fall within the sound played
        // from its start offset.
        if !markers.isEmpty {
            guard let sound else { throw AppError.invalid(field: "beat_markers_ms", code: "no_sound", message: "beat markers need a sound") }
            let playable = sound.durationMs - soundStart
            guard markers.allSatisfy({ $0 >= 0 && Int64($0) < playable && $0 <= total }) else {
                throw AppError.invalid(
                    field: "beat_markers_ms", code: "out_of_range", message: "each must fall within the clips' \(total) ms and the sound's \(playable) ms from its start")
            }
        }
        if let sound, soundStart >= sound.durationMs {
            throw AppError.invalid(field: "sound_start_ms", code: "out_of_range", message: "must fall within the sound's \(sound.durationMs) ms")
        }
        let recipe = TemplateStore.Recipe(clips: form.clips, transitions: transitions, effects: effects, beatMarkersMs: markers, textOverlays: overlays)
        let encoded = String(decoding: try JSONEncoder().encode(recipe), as: UTF8.self)
        let id = env.kernel.ids.next(TemplateID.self)
        let now = env.now
        let env = self.env
        let sourceRow = source
        var startsTrends = false
        if let source, let standing = try await env.posts.standing(of: source.postId) {
            startsTrends = try await TrendJoining(env: env).startsTrends(audience: standing.audience, author: caller.accountID)
        }
        let startsTrend = startsTrends
        try await env.database.transaction { db in
            // Counted under the creator's lock (SQLite's one writer, PostgreSQL's advisory lock).
            try await env.database.lock("takes.templates", [caller.accountID.rawValue], on: db)
            guard try await TemplateStore.count(by: caller.accountID, on: db) < Self.maxPerCreator else {
                throw AppError.conflict("You already have \(Self.maxPerCreator) templates; delete one first.", code: "template-limit")
            }
            try await TemplateStore.insert(
                .init(
                    id: id, creatorId: caller.accountID, name: form.name, sourceTakeId: sourceRow?.postId, soundId: sound?.id,
                    soundStartMs: sound == nil ? nil : soundStart, recipe: encoded, durationMs: Int64(total), useCount: 0, createdAt: now), on: db)
            // A template made from a Take starts its trend with that Take as the origin.
            if let sourceRow {
                try await TrendJoining(env: env).join(
                    sourceRow.postId, author: caller.accountID, keys: [(.template, id.description)], at: now, startsTrends: startsTrend, on: db)
            }
        }
        return try await get(id, viewer: caller)
    }

    func get(_ id: TemplateID, viewer: Principal?) async throws -> TakeTemplate {
        let row = try await TemplateAccess(env: env).visible(id, viewer: viewer)
        guard let template = try await render([row], viewer: viewer).first else { throw AppError.notFound("template") }
        return template
    }

    func delete(_ id: TemplateID, caller: Principal) async throws {
        let row = try await TemplateAccess(env: env).visible(id, viewer: caller)
        guard row.creatorId == caller.accountID else { throw AppError.notFound("template") }
        try await env.database.transaction { db in try await TemplateStore.delete(id, on: db) }
    }

    /// The gallery: newest first (keyset by ID) or trending (most uses in the last 7 days,
    /// paged by offset up to 1,000), optionally one creator's.
    func list(order: TemplateOrder, creator: AccountID?, viewer: Principal?, cursor: String?, limit: Int) async throws -> Page<TakeTemplate> {
        let db = env.database.sql
        if let creator { _ = try await env.profiles.account(creator, viewer: viewer, counts: false) }
        switch order {
        case .newest:
            let before = try cursor.map { text -> Int64 in
                guard let value = OutsideInteger.parse(text, in: OutsideInteger.positive) else { throw Self.badCursor }
                return value
            }
            let rows = try await TemplateStore.newest(creator: creator, before: before, limit: limit + 1, on: db)
            let fetchedMore = rows.count > limit
            let page = Array(rows.prefix(limit))
            let items = try await render(try await TemplateAccess(env: env).visible(page, viewer: viewer), viewer: viewer)
            return Page(items: items, nextCursor: fetchedMore ? page.last.map { String($0.id.rawValue) } : nil)
        case .trending:
            let offset = try cursor.map { text -> Int in
                guard let value = OutsideInteger.parseInt(text, in: 0...Self.maxTrendingOffset) else { throw Self.badCursor }
                return value
            } ?? 0
            let ranked = try await TemplateStore.trending(since: env.now - Self.trendingHorizonMillis, creator: creator, limit: offset + limit + 1, on: db)
            let slice = Array(ranked.dropFirst(offset).prefix(limit))
            let rows = Dictionary(uniqueKeysWithValues: try await TemplateStore.find(slice.map(\.template), on: db).map { ($0.id, $0) })
            let visible = try await TemplateAccess(env: env).visible(slice.compactMap { rows[$0.template] }, viewer: viewer)
            let items = try await render(visible, viewer: viewer)
            let next = ranked.count > offset + limit && offset + limit <= Self.maxTrendingOffset ? String(offset + limit) : nil
            return Page(items: items, nextCursor: next)
        }
    }

    static let badCursor = AppError.invalid(field: "cursor", code: "invalid", message: "is not a cursor this server gave out for templates")

    func render(_ rows: [TemplateStore.TemplateRow], viewer: Principal?) async throws -> [TakeTemplate] {
        let creators = try await env.visibleAccounts(rows.map(\.creatorId), viewer: viewer)
        let sounds = try await TakeRenderer(env: env).renderSounds(Array(Set(rows.compactMap(\.soundId))), viewer: viewer)
        let sources = try await env.visiblePosts(rows.compactMap(\.sourceTakeId), viewer: viewer)
        return try rows.compactMap { row in
            guard let creator = creators[row.creatorId] else { return nil }
            let recipe = try row.decodedRecipe()
            return TakeTemplate(
                id: row.id, name: row.name, creator: creator, sourceTakeId: row.sourceTakeId.flatMap { sources.contains($0) ? $0 : nil },
                sound: row.soundId.flatMap { sounds[$0] }, soundStartMs: row.soundStartMs.map(Int.init), clips: recipe.clips,
                transitions: recipe.transitions, effects: recipe.effects, beatMarkersMs: recipe.beatMarkersMs, textOverlays: recipe.textOverlays,
                durationMs: Int(row.durationMs), useCount: Int(row.useCount), createdAt: Date(millisecondsSince1970: row.createdAt))
        }
    }
}
