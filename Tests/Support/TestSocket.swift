import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization

/// A real WebSocket client on a live test server: frames arrive on `next()`, `send` writes one.
public final class TestSocket: Sendable {
    /// One `{"id", "type", "payload"}` frame as the server sent it.
    public struct Frame: Sendable {
        public var id: String?
        public var type: String
        public var payload: [String: JSONAny]
        public var text: String
    }

    private final class Inbox: Sendable {
        let state = Mutex<(frames: [String], closed: Bool, closeCode: Int?)>(([], false, nil))
    }

    private let received = Inbox()
    private let commands: AsyncStream<String?>.Continuation
    private let task: Task<Void, Never>

    /// The close code the server sent, once the socket closed.
    public var closeCode: Int? { received.state.withLock { $0.closeCode } }

    public init(port: Int, query: String) {
        let (commandStream, commands) = AsyncStream.makeStream(of: String?.self)
        self.commands = commands
        let received = self.received
        task = Task {
            let close = try? await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/api/v1/streaming?\(query)", configuration: .init(maxFrameSize: 1 << 17), logger: Logger(label: "test-socket")
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { received.state.withLock { $0.frames.append(text) } }
                        }
                    }
                    group.addTask {
                        for await command in commandStream {
                            guard let command else { try await outbound.close(.normalClosure, reason: nil); return }
                            try await outbound.write(.text(command))
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
            received.state.withLock {
                $0.closeCode = close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) } ?? -1
                $0.closed = true
            }
        }
    }

    /// The next frame; nil when the socket closed; a failure after `timeout`, which is generous
    /// because CI runs three suites side by side on two cores.
    public func next(timeout: Duration = .seconds(30)) async throws -> Frame? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (text, closed): (String?, Bool) = received.state.withLock { state in
                state.frames.isEmpty ? (nil, state.closed) : (state.frames.removeFirst(), false)
            }
            if let text {
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
                return Frame(
                    id: object["id"] as? String, type: object["type"] as? String ?? "",
                    payload: (object["payload"] as? [String: Any] ?? [:]).mapValues(JSONAny.init), text: text)
            }
            if closed { return nil }
            guard ContinuousClock.now < deadline else { throw TestFailure("no frame within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The next frame of one of `types`, skipping others (notifications that may arrive at any
    /// time, say).
    public func next(of types: Set<String>, timeout: Duration = .seconds(30)) async throws -> Frame? {
        while let frame = try await next(timeout: timeout) {
            if types.contains(frame.type) { return frame }
        }
        return nil
    }

    /// Frames of `type`, skipping others, until `count` arrived.
    public func collect(_ count: Int, type: String, timeout: Duration = .seconds(30)) async throws -> [Frame] {
        var frames: [Frame] = []
        while frames.count < count {
            guard let frame = try await next(timeout: timeout) else { throw TestFailure("socket closed after \(frames.count) \(type) frames") }
            if frame.type == type { frames.append(frame) }
        }
        return frames
    }

    public func send(_ text: String) { commands.yield(text) }

    public func close() async {
        commands.yield(nil)
        commands.finish()
        _ = await task.value
    }
}

/// A JSON value from a frame, for assertions.
public struct JSONAny: @unchecked Sendable, CustomStringConvertible {
    public let value: Any
    init(_ value: Any) { self.value = value }
    public var string: String? { value as? String }
    public var int: Int? { value as? Int }
    public var bool: Bool? { value as? Bool }
    public var object: [String: Any]? { value as? [String: Any] }
    public var description: String { "\(value)" }
}
