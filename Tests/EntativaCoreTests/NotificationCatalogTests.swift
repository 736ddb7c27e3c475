import EntativaCore
import EntativaModels
import Synchronization
import Testing

/// The kernel's seam for notifications: what modules register, and what happens when no
/// notifications domain fills the notifier.
@Suite("Notification catalog and notifier slot")
struct NotificationCatalogTests {
    let alice = AccountID(rawValue: 1)

    func kind(_ name: String, target: String? = nil) -> NotificationKind {
        NotificationKind(name, "A test type.", groupable: true, target: target, text: "{actor} did it")
    }

    @Test("A type or target rule registered twice is a startup error")
    func duplicatesAreRefused() throws {
        // given
        let catalog = NotificationCatalog()
        try catalog.register([kind("wave")])
        try catalog.registerTarget("wave_target") { ids, _ in Set(ids) }
        // then
        #expect(throws: NotificationCatalogError.duplicateKind("wave")) { try catalog.register([kind("wave")]) }
        #expect(throws: NotificationCatalogError.duplicateTarget("wave_target")) { try catalog.registerTarget("wave_target") { _, _ in [] } }
        #expect(catalog.all.map(\.name) == ["wave"])
    }

    @Test("Targets are visible only as their kind's rule says; a kind without a rule is visible to no one")
    func targetsFailClosed() async throws {
        // given
        let catalog = NotificationCatalog()
        try catalog.registerTarget("note") { ids, recipient in Set(ids.filter { $0 == "1" && recipient.rawValue == 1 }) }
        let targets = [NotificationTarget(kind: "note", id: "1"), NotificationTarget(kind: "note", id: "2"), NotificationTarget(kind: "story", id: "1")]
        // when
        let visible = try await catalog.visible(targets, to: alice)
        // then
        #expect(visible == [NotificationTarget(kind: "note", id: "1")])
        #expect(try await catalog.visible(targets, to: AccountID(rawValue: 2)).isEmpty)
    }

    @Test("Without a notifications domain, notifying fails with 503 instead of dropping the notice")
    func emptySlotIsUnavailable() async throws {
        // given
        let slot = NotifierSlot()
        let draft = NotificationDraft(recipient: alice, type: "wave", actor: nil, dedupeKey: "k")
        // then
        await #expect { try await slot.notify([draft]) } throws: { ($0 as? AppError)?.status == 503 }
        await #expect { try await slot.withdraw(aboutPost: PostID(rawValue: 5)) } throws: { ($0 as? AppError)?.status == 503 }
    }

    @Test("Once filled, the slot passes calls through")
    func filledSlotForwards() async throws {
        // given
        let slot = NotifierSlot()
        let recorder = RecordingNotifier()
        slot.install(recorder)
        // when
        let ids = try await slot.notify([NotificationDraft(recipient: alice, type: "wave", actor: nil, dedupeKey: "k")])
        try await slot.withdraw(aboutPost: PostID(rawValue: 5))
        // then
        #expect(ids == [NotificationID(rawValue: 1)])
        #expect(recorder.calls.withLock { $0 } == ["notify k", "withdraw 5"])
    }
}

private final class RecordingNotifier: Notifying {
    let calls = Mutex<[String]>([])

    func notify(_ drafts: [NotificationDraft]) async throws -> [NotificationID] {
        calls.withLock { $0 += drafts.map { "notify \($0.dedupeKey)" } }
        return drafts.indices.map { NotificationID(rawValue: Int64($0 + 1)) }
    }

    func withdraw(aboutPost post: PostID) async throws {
        calls.withLock { $0.append("withdraw \(post)") }
    }

    func withdraw(about targets: [NotificationTarget]) async throws {
        calls.withLock { $0.append("withdraw \(targets.map(\.id))") }
    }
}
