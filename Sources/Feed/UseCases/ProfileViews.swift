import EntativaCore
import EntativaModels
import Foundation

/// Profile views as an affinity signal. Clients report the profiles their user opened, in
/// batches, as they report impressions: the profile read itself is cached and may be anonymous,
/// and writing on every read would make the hottest read a write. One view of an account a day
/// counts (weight 1, like a reaction); my own profile, accounts I may not see and repeats are
/// ignored, and the answer does not say which was which.
struct ProfileViews: Sendable {
    let env: FeedEnvironment

    static let day: Int64 = 24 * 3_600_000

    func record(_ form: RecordProfileViewsRequest, viewer: Principal) async throws -> ImpressionReceipt {
        var validator = Validator()
        validator.check(
            (1...RecordProfileViewsRequest.maxViews).contains(form.accountIds.count), "account_ids", "length",
            "must hold 1–\(RecordProfileViewsRequest.maxViews) account IDs")
        try validator.validate()
        let reader = viewer.accountID
        let now = env.kernel.clock.nowMillis()
        let unique = form.accountIds.reduce(into: [AccountID]()) { if $1 != reader && !$0.contains($1) { $0.append($1) } }
        let visible = try await env.graph.visible(unique, to: viewer)
        let rows = unique.filter(visible.contains).map {
            InteractionStore.Interaction(
                eventId: Self.eventID(viewer: reader, author: $0, day: now / Self.day), viewer: reader, author: $0,
                weight: Affinity.weights.profileView, at: now)
        }
        let recorded = try await env.database.transaction { db in try await InteractionStore.recordNew(rows, on: db) }
        return ImpressionReceipt(recorded: recorded, ignored: form.accountIds.count - recorded)
    }

    /// One ID per viewer, account and day, so a second view that day is a conflict, not a row.
    /// Negative, where no event ID (always positive) can be.
    static func eventID(viewer: AccountID, author: AccountID, day: Int64) -> Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: fixed across runs, unlike Hasher
        for value in [viewer.rawValue, author.rawValue, day] {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash = (hash ^ UInt64(truncatingIfNeeded: value >> Int64(shift)) & 0xFF) &* 0x100_0000_01B3
            }
        }
        return -Int64(hash >> 1) - 1
    }
}
