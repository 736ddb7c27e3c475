import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Every statement on `story_stickers` and `story_sticker_responses`.
enum StickerStore {
    struct StickerRow: Decodable, Sendable {
        var id: StickerID
        var storyId: StoryID
        var position: Int
        var kind: StickerKind
        var x: Double
        var y: Double
        var scale: Double
        var rotation: Double
        var question: String?
        var options: String?
        var correctOption: Int?
        var title: String?
        var endsAt: Int64?
        var emoji: String?
        var accountId: AccountID?
        var locationName: String?
        var latitude: Double?
        var longitude: Double?
        var mediaId: MediaID?
        var startMillis: Int64?

        var optionList: [String] {
            guard let options else { return [] }
            return (try? JSONDecoder().decode([String].self, from: Data(options.utf8))) ?? []
        }
    }

    static func insert(_ sticker: StickerRow, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO story_stickers (id, story_id, position, kind, x, y, scale, rotation, question, options, correct_option, title,
                                        ends_at, emoji, account_id, location_name, latitude, longitude, media_id, start_millis)
            VALUES (\(bind: sticker.id.rawValue), \(bind: sticker.storyId.rawValue), \(bind: sticker.position), \(bind: sticker.kind.rawValue),
                    \(bind: sticker.x), \(bind: sticker.y), \(bind: sticker.scale), \(bind: sticker.rotation), \(bind: sticker.question),
                    \(bind: sticker.options), \(bind: sticker.correctOption), \(bind: sticker.title), \(bind: sticker.endsAt), \(bind: sticker.emoji),
                    \(bind: sticker.accountId?.rawValue), \(bind: sticker.locationName), \(bind: sticker.latitude), \(bind: sticker.longitude),
                    \(bind: sticker.mediaId?.rawValue), \(bind: sticker.startMillis))
            """).run()
    }

    /// The stickers of `stories`, in their order on each story.
    static func stickers(of stories: [StoryID], on db: any SQLDatabase) async throws -> [StickerRow] {
        guard !stories.isEmpty else { return [] }
        return try await db.raw("""
            SELECT * FROM story_stickers WHERE story_id IN (\(binds: stories.map(\.rawValue))) ORDER BY story_id, position
            """).all().map { try $0.decode(StickerRow.self) }
    }

    static func find(_ id: StickerID, on db: any SQLDatabase) async throws -> StickerRow? {
        try await db.raw("SELECT * FROM story_stickers WHERE id = \(bind: id.rawValue)").first()?.decode(StickerRow.self)
    }

    struct ResponseRow: Decodable, Sendable {
        var id: Int64
        var stickerId: StickerID
        var accountId: AccountID
        var optionIndex: Int?
        var value: Int?
        var answerText: String?
        var correct: Int?
        var respondedAt: Int64

        var answer: StickerAnswer {
            StickerAnswer(option: optionIndex, value: value, text: answerText, correct: correct.map { $0 != 0 })
        }
    }

    /// Records `account`'s answer; false when they had already answered (the first one stands).
    static func respond(
        id: Int64, sticker: StickerRow, account: AccountID, answer: StickerAnswer, now: Int64, on db: any SQLDatabase
    ) async throws -> Bool {
        try await !db.raw("""
            INSERT INTO story_sticker_responses (id, sticker_id, story_id, account_id, option_index, value, answer_text, correct, responded_at)
            VALUES (\(bind: id), \(bind: sticker.id.rawValue), \(bind: sticker.storyId.rawValue), \(bind: account.rawValue), \(bind: answer.option),
                    \(bind: answer.value), \(bind: answer.text), \(bind: answer.correct.map { $0 ? 1 : 0 }), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING id
            """).all().isEmpty
    }

    struct Tally: Decodable, Sendable {
        var stickerId: StickerID
        var optionIndex: Int?
        var responses: Int
        var valueSum: Int?
        var correctSum: Int?
    }

    /// Per sticker and option: how many answered, the sum of their values and of right answers.
    static func tallies(of stickers: [StickerID], on db: any SQLDatabase) async throws -> [Tally] {
        guard !stickers.isEmpty else { return [] }
        return try await db.raw("""
            SELECT sticker_id, option_index, COUNT(*) AS responses, SUM(value) AS value_sum, SUM(correct) AS correct_sum
            FROM story_sticker_responses WHERE sticker_id IN (\(binds: stickers.map(\.rawValue))) GROUP BY sticker_id, option_index
            """).all().map { try $0.decode(Tally.self) }
    }

    /// `account`'s own answers among `stickers`.
    static func answers(of account: AccountID, to stickers: [StickerID], on db: any SQLDatabase) async throws -> [StickerID: ResponseRow] {
        guard !stickers.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT * FROM story_sticker_responses WHERE account_id = \(bind: account.rawValue) AND sticker_id IN (\(binds: stickers.map(\.rawValue)))
            """).all().map { try $0.decode(ResponseRow.self) }
        return Dictionary(rows.map { ($0.stickerId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func answer(of account: AccountID, to sticker: StickerID, on db: any SQLDatabase) async throws -> ResponseRow? {
        try await answers(of: account, to: [sticker], on: db)[sticker]
    }

    /// The answers to `sticker`, newest first, with IDs below `before`.
    static func responses(to sticker: StickerID, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [ResponseRow] {
        try await db.raw("""
            SELECT * FROM story_sticker_responses WHERE sticker_id = \(bind: sticker.rawValue) AND id < \(bind: before ?? Int64.max)
            ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(ResponseRow.self) }
    }

    /// Everyone who subscribed to a countdown, a page at a time in account order.
    static func subscribers(of sticker: StickerID, after: AccountID?, limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT account_id FROM story_sticker_responses WHERE sticker_id = \(bind: sticker.rawValue) AND account_id > \(bind: after?.rawValue ?? 0)
            ORDER BY account_id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "account_id", as: AccountID.self) }
    }

    static func deleteAll(ofStory story: StoryID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM story_sticker_responses WHERE story_id = \(bind: story.rawValue)").run()
        try await db.raw("DELETE FROM story_stickers WHERE story_id = \(bind: story.rawValue)").run()
    }

    /// Everything of `account`'s: the stickers on its stories with their answers, and its answers to others'.
    static func deleteAll(of account: AccountID, on db: any SQLDatabase) async throws {
        let owned = "SELECT id FROM stories WHERE author_id = \(account.rawValue)"
        try await db.raw("""
            DELETE FROM story_sticker_responses WHERE story_id IN (\(unsafeRaw: owned)) OR account_id = \(bind: account.rawValue)
            """).run()
        try await db.raw("DELETE FROM story_stickers WHERE story_id IN (\(unsafeRaw: owned))").run()
        try await db.raw("UPDATE story_stickers SET account_id = NULL WHERE account_id = \(bind: account.rawValue)").run()
    }
}
