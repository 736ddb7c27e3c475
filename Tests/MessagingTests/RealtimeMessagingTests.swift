import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Messaging: the SDK's realtime client")
struct RealtimeMessagingTests {
    let secure = SecureMessagingTests()

    /// The next `count` items of a stream (the tests' time limit bounds the wait).
    func take<Element: Sendable>(_ count: Int, from iterator: inout AsyncThrowingStream<Element, any Error>.AsyncIterator) async throws -> [Element] {
        var taken: [Element] = []
        while taken.count < count {
            guard let next = try await iterator.next() else { throw TestFailure("the stream ended after \(taken.count)") }
            taken.append(next)
        }
        return taken
    }

    @Test("Messages arrive live over the socket; after a drop the client resumes from its last event and nothing comes twice", .timeLimit(.minutes(2)))
    func liveAndResumed() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let port = try #require(api.port)
            let (ada, adaID) = try await secure.client(port, "ada")
            let (bob, bobID) = try await secure.client(port, "bob")
            let adaPhone = try await SecureMessenger.register(client: ada, account: adaID, name: "phone", oneTimePreKeys: 10)
            let bobPhone = try await SecureMessenger.register(client: bob, account: bobID, name: "phone", oneTimePreKeys: 10)
            // Sent before Bob connects: fetched when the socket says it is ready.
            try await adaPhone.send("before the socket", to: bobID)

            let realtime = RealtimeClient(client: bob)
            var messages = await bobPhone.messages(over: realtime).makeAsyncIterator()
            #expect(try await take(1, from: &messages).map(\.text) == ["before the socket"])
            for index in 1...3 { try await adaPhone.send("live \(index)", to: bobID) }
            #expect(try await take(3, from: &messages).map(\.text) == ["live 1", "live 2", "live 3"])
            let resumeFrom = try #require(await realtime.lastEventID)

            // The socket goes away; what is sent meanwhile comes on the next connection, from
            // the event log and from the server's queue alike, but once.
            await realtime.stop()
            for index in 1...2 { try await adaPhone.send("while away \(index)", to: bobID) }
            let again = RealtimeClient(client: bob, lastEventID: resumeFrom)
            var resumed = await bobPhone.messages(over: again).makeAsyncIterator()
            #expect(try await take(2, from: &resumed).map(\.text) == ["while away 1", "while away 2"])
            try await adaPhone.send("after", to: bobID)
            #expect(try await take(1, from: &resumed).map(\.text) == ["after"])
            #expect(try await bobPhone.receive().isEmpty)
            await again.stop()
        }
    }

    @Test("The client resumes notifications after the last event it handed over, and says when the gap was complete", .timeLimit(.minutes(2)))
    func resumesEvents() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let (bob, bobID) = try await secure.client(port, "bob")
            let realtime = RealtimeClient(client: bob)
            var frames = await realtime.frames().makeAsyncIterator()
            let ready = try await take(1, from: &frames)[0]
            #expect(ready.type == "ready" && ready.id == nil)

            let (carol, _) = try await secure.client(port, "carol")
            _ = try await carol.follow(bobID)
            try await app.runJobs()
            let first = try await take(1, from: &frames)[0]
            #expect(first.type == "notification" && first.id != nil)
            #expect(await realtime.lastEventID == first.id)
            await realtime.stop()

            let (dave, _) = try await secure.client(port, "dave")
            _ = try await dave.follow(bobID)
            try await app.runJobs()
            var resumed = await RealtimeClient(client: bob, lastEventID: first.id).frames().makeAsyncIterator()
            let replay = try await take(2, from: &resumed)
            #expect(replay[0].type == "notification" && replay[0].id != first.id)
            let payload = try replay[1].payload(as: ReadyState.self)
            #expect(replay[1].type == "ready" && payload.resumed == 1 && payload.complete)
        }
    }

    struct ReadyState: Decodable {
        var resumed: Int
        var complete: Bool
    }
}
