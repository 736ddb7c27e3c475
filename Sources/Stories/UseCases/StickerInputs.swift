import EntativaCore
import EntativaModels
import Foundation

/// Checks the stickers an author places on a new story and turns them into rows. Each kind takes
/// its own fields and no others, so a client that sends a quiz's answer on a poll learns at once.
struct StickerInputs: Sendable {
    let env: StoriesEnvironment

    static let maxStickers = 10
    static let maxQuestion = 200
    static let maxOption = 60
    static let maxTitle = 60
    static let maxLocationName = 200
    static let maxAnswer = 500
    /// Media probing refuses any file that claims to last longer than a day, so no start offset
    /// within a track can be later.
    static let maxTrackSeconds: Double = 86_400
    /// How far ahead a countdown may end.
    static let maxCountdownMillis: Int64 = 365 * 24 * 3_600_000

    struct Prepared: Sendable {
        var rows: [StickerStore.StickerRow]
        var mentioned: [AccountID]
        /// What the tracks are and how long, checked only once attaching has shown they are the
        /// author's: an error about someone else's media must not describe it.
        var tracks: [MediaID: MediaAttachment]
        /// Each music sticker's field and track, attached with the story in this order.
        var musicChecks: [(field: String, track: MediaID, start: Double?)]

        func checkMusic() throws {
            var validator = Validator()
            for check in musicChecks {
                let track = tracks[check.track]
                validator.check(track?.kind == .audio, "\(check.field).media_id", "unsupported", "must be an audio track")
                if let start = check.start, let length = track?.durationSeconds {
                    validator.check(start < length, "\(check.field).start_seconds", "out_of_range", "must be within the track")
                }
            }
            try validator.validate()
        }
    }

    func prepare(_ inputs: [StickerInput], story: StoryID, caller: Principal, now: Int64) async throws -> Prepared {
        var validator = Validator()
        validator.check(inputs.count <= Self.maxStickers, "stickers", "too_many", "may place at most \(Self.maxStickers) stickers")
        try validator.validate()

        let mentionIDs = inputs.compactMap { $0.kind == .mention ? $0.accountId : nil }
        let visible = Set(try await env.profiles.accounts(mentionIDs, viewer: caller, counts: false).map(\.id))
        let audio = try await env.attachments.attachments(inputs.compactMap { $0.kind == .music ? $0.mediaId : nil })

        var prepared = Prepared(rows: [], mentioned: [], tracks: audio, musicChecks: [])
        for (index, input) in inputs.enumerated() {
            let field = "stickers[\(index)]"
            check(input, field: field, now: now, into: &validator)
            var row = StickerStore.StickerRow(
                id: env.kernel.ids.next(StickerID.self), storyId: story, position: index, kind: input.kind, x: input.placement.x,
                y: input.placement.y, scale: input.placement.scale, rotation: input.placement.rotation, question: input.question,
                options: nil, correctOption: input.correctOption, title: input.title, endsAt: input.endsAt?.millisecondsSince1970,
                emoji: input.emoji, accountId: input.accountId, locationName: input.location?.name, latitude: input.location?.latitude,
                longitude: input.location?.longitude, mediaId: input.mediaId, startMillis: nil)
            if let options = input.options {
                row.options = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
            }
            switch input.kind {
            case .mention:
                if let account = input.accountId {
                    validator.check(account != caller.accountID, "\(field).account_id", "self", "cannot mention yourself")
                    validator.check(visible.contains(account), "\(field).account_id", "not_found", "no such account")
                    prepared.mentioned.append(account)
                }
            case .music:
                if let media = input.mediaId {
                    // Whether it is mine, ready and unused is checked when it is attached; what it
                    // is, after that (`checkMusic`).
                    if let start = input.startSeconds {
                        // Bounded before any arithmetic.
                        let inRange = start.isFinite && start >= 0 && start <= Self.maxTrackSeconds
                        validator.check(inRange, "\(field).start_seconds", "out_of_range", "must be within the track")
                        row.startMillis = inRange ? Int64((start * 1000).rounded()) : nil
                    } else {
                        row.startMillis = 0
                    }
                    prepared.musicChecks.append((field, media, input.startSeconds))
                }
            default:
                break
            }
            prepared.rows.append(row)
        }
        try validator.validate()
        prepared.mentioned = Array(Set(prepared.mentioned))
        return prepared
    }

    /// One character drawn as an emoji: digits and `#` carry the emoji property too, so a scalar
    /// must either present as an emoji or lie beyond Latin-1.
    static func isOneEmoji(_ text: String) -> Bool {
        text.count == 1 && text.unicodeScalars.contains { $0.properties.isEmojiPresentation || ($0.properties.isEmoji && $0.value > 0xFF) }
    }

    /// The fields each kind takes, and their bounds.
    private func check(_ input: StickerInput, field: String, now: Int64, into validator: inout Validator) {
        let placement = input.placement
        validator.check(placement.x.isFinite && (0...1).contains(placement.x), "\(field).placement.x", "out_of_range", "must be between 0 and 1")
        validator.check(placement.y.isFinite && (0...1).contains(placement.y), "\(field).placement.y", "out_of_range", "must be between 0 and 1")
        validator.check(
            placement.scale.isFinite && (0.1...5).contains(placement.scale), "\(field).placement.scale", "out_of_range", "must be between 0.1 and 5")
        validator.check(
            placement.rotation.isFinite && (-360...360).contains(placement.rotation), "\(field).placement.rotation", "out_of_range",
            "must be between -360 and 360")

        let required: Set<String>
        let optional: Set<String>
        switch input.kind {
        case .poll: (required, optional) = (["options"], ["question"])
        case .quiz: (required, optional) = (["question", "options", "correct_option"], [])
        case .question: (required, optional) = (["question"], [])
        case .countdown: (required, optional) = (["title", "ends_at"], [])
        case .emojiSlider: (required, optional) = (["emoji"], ["question"])
        case .mention: (required, optional) = (["account_id"], [])
        case .location: (required, optional) = (["location"], [])
        case .music: (required, optional) = (["media_id"], ["start_seconds"])
        }
        let given: [String: Bool] = [
            "question": input.question != nil, "options": input.options != nil, "correct_option": input.correctOption != nil,
            "title": input.title != nil, "ends_at": input.endsAt != nil, "emoji": input.emoji != nil, "account_id": input.accountId != nil,
            "location": input.location != nil, "media_id": input.mediaId != nil, "start_seconds": input.startSeconds != nil,
        ]
        for (name, isGiven) in given.sorted(by: { $0.key < $1.key }) {
            if required.contains(name) {
                validator.check(isGiven, "\(field).\(name)", "required", "a \(input.kind.rawValue) sticker needs it")
            } else if !optional.contains(name) {
                validator.check(!isGiven, "\(field).\(name)", "not_allowed", "a \(input.kind.rawValue) sticker does not take it")
            }
        }

        if let question = input.question {
            validator.check(!question.trimmingCharacters(in: .whitespaces).isEmpty, "\(field).question", "blank", "must not be blank")
            validator.length(question, "\(field).question", max: Self.maxQuestion)
        }
        if let options = input.options {
            validator.check((2...4).contains(options.count), "\(field).options", "count", "must hold 2 to 4 options")
            for (position, option) in options.enumerated() {
                validator.check(!option.trimmingCharacters(in: .whitespaces).isEmpty, "\(field).options[\(position)]", "blank", "must not be blank")
                validator.length(option, "\(field).options[\(position)]", max: Self.maxOption)
            }
            validator.check(Set(options).count == options.count, "\(field).options", "duplicate", "must differ from each other")
            if let correct = input.correctOption {
                validator.check(options.indices.contains(correct), "\(field).correct_option", "out_of_range", "must name one of the options")
            }
        }
        if let title = input.title {
            validator.check(!title.trimmingCharacters(in: .whitespaces).isEmpty, "\(field).title", "blank", "must not be blank")
            validator.length(title, "\(field).title", max: Self.maxTitle)
        }
        if let endsAt = input.endsAt {
            let millis = endsAt.timeIntervalSince1970.isFinite ? endsAt.millisecondsSince1970 : 0
            validator.check(
                millis > now && millis - now <= Self.maxCountdownMillis, "\(field).ends_at", "out_of_range", "must be in the coming year")
        }
        if let emoji = input.emoji {
            validator.check(Self.isOneEmoji(emoji), "\(field).emoji", "invalid", "must be one emoji")
        }
        if let location = input.location {
            validator.check(!location.name.trimmingCharacters(in: .whitespaces).isEmpty, "\(field).location.name", "blank", "must not be blank")
            validator.length(location.name, "\(field).location.name", max: Self.maxLocationName)
            validator.check(
                location.latitude.isFinite && (-90...90).contains(location.latitude), "\(field).location.latitude", "out_of_range",
                "must be between -90 and 90")
            validator.check(
                location.longitude.isFinite && (-180...180).contains(location.longitude), "\(field).location.longitude", "out_of_range",
                "must be between -180 and 180")
        }
    }
}
