import EntativaModels
import Synchronization

/// One open socket's queue. Producers never wait on a socket: `offer` either enqueues or, when
/// the client has fallen `capacity` events behind, ends the stream so the gateway closes the
/// socket and the client resumes from its last event ID.
public final class RealtimeConnection: Sendable {
    public enum Outgoing: Sendable {
        case event(RealtimeEvent)
        case control(String)
    }

    public let id: Int
    public let accountID: AccountID
    public let stream: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation
    private let overflowed = Atomic<Bool>(false)
    private let evicted = Atomic<Bool>(false)
    /// The close code a socket gets when a newer one of the same account pushed it out.
    public static let tooManyCode: UInt16 = 4008
    /// Fires once when the client falls behind, so the gateway can stop a write that is stuck
    /// on a socket the client no longer reads.
    public let overflow: AsyncStream<Void>
    private let overflowContinuation: AsyncStream<Void>.Continuation

    init(id: Int, accountID: AccountID, capacity: Int) {
        self.id = id
        self.accountID = accountID
        (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self, bufferingPolicy: .bufferingOldest(capacity))
        (overflow, overflowContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// True when the client fell too far behind and was cut off.
    public var didOverflow: Bool { overflowed.load(ordering: .relaxed) }

    @discardableResult
    func offer(_ item: Outgoing) -> Bool {
        switch continuation.yield(item) {
        case .enqueued:
            return true
        case .dropped:
            overflowed.store(true, ordering: .relaxed)
            continuation.finish()
            overflowContinuation.yield()
            overflowContinuation.finish()
            return false
        case .terminated:
            return false
        @unknown default:
            return false
        }
    }

    public func send(control text: String) { offer(.control(text)) }

    /// True when a newer socket of the same account took this one's place.
    public var wasEvicted: Bool { evicted.load(ordering: .relaxed) }

    func evict() {
        evicted.store(true, ordering: .relaxed)
        finish()
    }

    func finish() {
        continuation.finish()
        overflowContinuation.finish()
    }
}
