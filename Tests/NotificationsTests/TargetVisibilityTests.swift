import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@testable import Notifications

@Suite("Notification targets fail closed")
struct TargetVisibilityTests {
    @Test("A target or object of a kind without a visibility rule is neither stored nor sent")
    func unknownKindIsInvisible() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let post = try await api.textPost("hello", token: alice.accessToken)
            let notifier = app.runtime.notifications.notifier
            // A type whose module registered no rule for its target kind.
            try app.kernel.notificationCatalog.register([
                NotificationKind("poll_vote", "Someone voted in your poll.", groupable: true, target: "poll", text: "{actor} voted in your poll")
            ])
            let poll = NotificationTarget(kind: "poll", id: "12345")
            #expect(try await notifier.notify([
                NotificationDraft(recipient: alice.account.id, type: "poll_vote", actor: bob.account.id, target: poll, dedupeKey: "t-1")
            ]).isEmpty)
            // A type no module registered is not stored either.
            #expect(try await notifier.notify([
                NotificationDraft(recipient: alice.account.id, type: "never_registered", actor: bob.account.id, dedupeKey: "t-0")
            ]).isEmpty)
            // An unknown object sinks a notice whose target is fine.
            #expect(try await notifier.notify([
                NotificationDraft(
                    recipient: alice.account.id, type: "reaction", actor: bob.account.id,
                    target: NotificationTarget(kind: "post", id: post.id.description), object: NotificationTarget(kind: "gizmo", id: "1"),
                    dedupeKey: "t-2")
            ]).isEmpty)
            // Known kinds and notices without a target still go through.
            #expect(try await notifier.notify([
                NotificationDraft(
                    recipient: alice.account.id, type: "reaction", actor: bob.account.id,
                    target: NotificationTarget(kind: "post", id: post.id.description), dedupeKey: "t-3"),
                NotificationDraft(recipient: alice.account.id, type: "follow", actor: bob.account.id, dedupeKey: "t-4"),
            ]).count == 2)
            #expect(try await api.flat(token: alice.accessToken).map(\.type).sorted() == ["follow", "reaction"])

            // Rows that reached the table some other way are not sent either.
            let deliveries = Deliveries(env: app.runtime.notifications.env, channels: PushChannels())
            let stored = try #require(try await app.kernel.database.sql.raw("SELECT * FROM notifications WHERE dedupe_key = 't-3'").first())
            var row = try NotificationRow(row: stored)
            #expect(try await deliveries.stillAllowed(row) != nil)
            row.targetKind = "story"
            #expect(try await deliveries.stillAllowed(row) == nil)
        }
    }

    @Test("A session target reaches only the account the session belongs to")
    func sessionsAreTheirOwnersOnly() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let session = try #require(try await app.kernel.database.sql.raw("""
                SELECT id FROM sessions WHERE account_id = \(bind: alice.account.id.rawValue)
                """).first()?.decode(column: "id", as: Int64.self))
            let target = NotificationTarget(kind: "session", id: String(session))
            let notifier = app.runtime.notifications.notifier
            #expect(try await notifier.notify([
                NotificationDraft(recipient: bob.account.id, type: "new_login", actor: nil, target: target, dedupeKey: "s-1")
            ]).isEmpty)
            #expect(try await notifier.notify([
                NotificationDraft(recipient: alice.account.id, type: "new_login", actor: nil, target: target, dedupeKey: "s-2")
            ]).count == 1)
        }
    }
}
