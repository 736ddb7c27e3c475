import EntativaCore
import EntativaModels
import Foundation

/// Stickers as one viewer sees them. What each kind shows:
///
/// | kind | the author | a viewer |
/// |---|---|---|
/// | poll | votes and percentages per option | the same, and their own vote |
/// | quiz | votes per option, right answers, the correct option | the same once they answered; before, only the count |
/// | question | how many answered (the answers through the responses route) | whether they answered |
/// | countdown | how many subscribed | the same, and whether they did |
/// | emoji slider | the average and how many | the same once they slid; before, only the count |
/// | mention, location, music | what was placed | the same |
struct StickerRenderer: Sendable {
    let env: StoriesEnvironment

    func render(_ stories: [StoryStore.StoryRow], viewer: AccountID?) async throws -> [StoryID: [StorySticker]] {
        let db = env.database.sql
        let rows = try await StickerStore.stickers(of: stories.map(\.id), on: db)
        guard !rows.isEmpty else { return [:] }
        let authors = Dictionary(stories.map { ($0.id, $0.authorId) }, uniquingKeysWith: { first, _ in first })
        let interactive = rows.filter(\.kind.isInteractive).map(\.id)
        let tallies = Dictionary(grouping: try await StickerStore.tallies(of: interactive, on: db), by: \.stickerId)
        var mine: [StickerID: StickerStore.ResponseRow] = [:]
        if let viewer { mine = try await StickerStore.answers(of: viewer, to: interactive, on: db) }
        // A mentioned account the viewer may not see (blocked either way, suspended, deleted) drops out.
        let mentions = try await env.profiles.accounts(rows.compactMap(\.accountId), viewer: viewer.map { .ordinaryAccount($0) }, counts: false)
        let usernames = Dictionary(mentions.map { ($0.id, $0.username) }, uniquingKeysWith: { first, _ in first })
        let music = try await env.attachments.attachments(rows.compactMap(\.mediaId))

        var result: [StoryID: [StorySticker]] = [:]
        for row in rows {
            let isAuthor = viewer != nil && authors[row.storyId] == viewer
            let answer = mine[row.id]
            let results = row.kind.isInteractive ? Self.results(row, tallies[row.id] ?? [], mine: answer, isAuthor: isAuthor) : nil
            let showsAnswer = isAuthor || answer != nil
            result[row.storyId, default: []].append(
                StorySticker(
                    id: row.id, kind: row.kind, placement: StickerPlacement(x: row.x, y: row.y, scale: row.scale, rotation: row.rotation),
                    question: row.question, options: row.options == nil ? nil : row.optionList,
                    correctOption: row.kind == .quiz && showsAnswer ? row.correctOption : nil, title: row.title,
                    endsAt: row.endsAt.map(Date.init(millisecondsSince1970:)), emoji: row.emoji,
                    mention: row.accountId.flatMap { id in usernames[id].map { StickerMention(id: id, username: $0) } },
                    location: row.locationName.map { StickerLocation(name: $0, latitude: row.latitude ?? 0, longitude: row.longitude ?? 0) },
                    music: row.mediaId.flatMap { music[$0] }, startSeconds: row.startMillis.map { Double($0) / 1000 }, results: results))
        }
        return result
    }

    static func results(
        _ row: StickerStore.StickerRow, _ tallies: [StickerStore.Tally], mine: StickerStore.ResponseRow?, isAuthor: Bool
    ) -> StickerResults {
        let total = tallies.reduce(0) { $0 + $1.responses }
        var results = StickerResults(total: total, mine: mine?.answer)
        let revealed = isAuthor || mine != nil
        switch row.kind {
        case .poll, .quiz:
            guard row.kind == .poll || revealed else { break }
            var counts = Array(repeating: 0, count: row.optionList.count)
            for tally in tallies {
                if let option = tally.optionIndex, counts.indices.contains(option) { counts[option] += tally.responses }
            }
            results.counts = counts
            results.percentages = percentages(counts)
            if row.kind == .quiz { results.correctCount = tallies.reduce(0) { $0 + ($1.correctSum ?? 0) } }
        case .emojiSlider:
            guard revealed, total > 0 else { break }
            let sum = tallies.reduce(0) { $0 + ($1.valueSum ?? 0) }
            results.average = (Double(sum) / Double(total) * 10).rounded() / 10
        default:
            break
        }
        return results
    }

    /// Whole percentages that add up to 100: each share rounded down, the points left over going
    /// to the largest remainders (ties to the earlier option).
    static func percentages(_ counts: [Int]) -> [Int] {
        let total = counts.reduce(0, +)
        guard total > 0 else { return counts.map { _ in 0 } }
        var shares = counts.map { $0 * 100 / total }
        let remainders = counts.enumerated().map { (index: $0.offset, rest: $0.element * 100 % total) }
        let leftOver = 100 - shares.reduce(0, +)
        for entry in remainders.sorted(by: { ($0.rest, -$0.index) > ($1.rest, -$1.index) }).prefix(leftOver) { shares[entry.index] += 1 }
        return shares
    }
}
