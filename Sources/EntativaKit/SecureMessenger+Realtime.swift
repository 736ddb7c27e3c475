import EntativaModels
import Foundation

/// Messages as they arrive, over the realtime socket: an envelope for this device is opened from
/// its `envelope` event (or fetched, when it was too big to ride along) and acknowledged; after
/// every (re)connection whatever waits on the server is fetched too, so a drop longer than the
/// socket's resume window loses nothing either.
extension SecureMessenger {
    public func messages(over realtime: RealtimeClient) async -> AsyncThrowingStream<Received, any Error> {
        let frames = await realtime.frames()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Received.self)
        let task = Task {
            do {
                for try await frame in frames {
                    for message in try await self.handle(frame) { continuation.yield(message) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            task.cancel()
            Task { await realtime.stop() }
        }
        return stream
    }

    /// The messages one frame brings.
    func handle(_ frame: RealtimeFrame) async throws -> [Received] {
        switch frame.type {
        case "ready":
            return try await receive()
        case EnvelopeArrived.type:
            let arrival = try frame.payload(as: EnvelopeArrived.self)
            guard arrival.deviceId == state.deviceID, !recentlyOpenedSet.contains(arrival.id) else { return [] }
            guard let envelope = arrival.envelope else { return try await receive() }
            remember(envelope.id)
            let message = try? open(envelope)
            try await client.acknowledgeEnvelopes([envelope.id], for: state.deviceID, secret: state.deviceSecret)
            return (message ?? nil).map { [$0] } ?? []
        default:
            return []
        }
    }

    func remember(_ id: EnvelopeID) {
        recentlyOpened.append(id)
        recentlyOpenedSet.insert(id)
        if recentlyOpened.count > 1_000 { recentlyOpenedSet.remove(recentlyOpened.removeFirst()) }
    }
}
