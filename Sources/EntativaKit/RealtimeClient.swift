import EntativaModels
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket

/// One frame of the realtime socket (`{"id", "type", "payload"}`, docs/realtime.md).
public struct RealtimeFrame: Sendable {
    /// Set on resumable events; nil on control frames (`ready`, `pong`, `error`).
    public var id: String?
    public var type: String
    /// The frame as it came, for decoding its payload.
    public var json: Data

    struct Head: Decodable {
        var id: String?
        var type: String
    }

    struct Body<Payload: Decodable>: Decodable {
        var payload: Payload
    }

    init?(text: String) {
        let json = Data(text.utf8)
        guard let head = try? EntativaJSON.decoder().decode(Head.self, from: json) else { return nil }
        (id, type, self.json) = (head.id, head.type, json)
    }

    /// The payload as `Payload` (say `EnvelopeArrived` for an `envelope` frame).
    public func payload<Payload: Decodable>(as _: Payload.Type) throws -> Payload {
        try EntativaJSON.decoder().decode(Body<Payload>.self, from: json).payload
    }
}

/// The realtime socket, kept open: it reconnects after any drop with the ID of the last event
/// it handed over, so the server replays what came meanwhile (within its resume window) and
/// nothing is handed over twice. A `ready` frame follows each (re)connection; when its
/// `complete` is false the gap was too long, and lists should be fetched again over HTTP.
/// An expired access token is refreshed through the client; a session that is over ends the
/// stream with `EntativaError.notSignedIn`.
public actor RealtimeClient {
    let client: EntativaClient
    public enum Failure: Error, Equatable {
        /// The server closed the socket for a newer one of the same account (close code 4008).
        case replaced
    }

    static let replacedCode: UInt16 = 4008
    public private(set) var lastEventID: String?
    private var outbound: AsyncStream<String>.Continuation?
    private var runner: Task<Void, Never>?
    private let maxBackoff: Duration

    /// `lastEventID` resumes from an earlier run (persisted by the app).
    public init(client: EntativaClient, lastEventID: String? = nil, maxBackoff: Duration = .seconds(30)) {
        self.client = client
        self.lastEventID = lastEventID
        self.maxBackoff = maxBackoff
    }

    /// Connects (once; a second call ends the first stream) and answers the frames as they come.
    public func frames() -> AsyncThrowingStream<RealtimeFrame, any Error> {
        runner?.cancel()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: RealtimeFrame.self)
        runner = Task { await self.run(into: continuation) }
        continuation.onTermination = { _ in Task { await self.stop() } }
        return stream
    }

    /// Sends a frame (typing, a receipt, call signalling) on the open socket; dropped while
    /// reconnecting, as ephemeral frames are.
    public func send<Payload: Encodable & Sendable>(_ type: String, _ payload: Payload) throws {
        let text = String(decoding: try EntativaJSON.encoder().encode(OutgoingFrame(type: type, payload: payload)), as: UTF8.self)
        outbound?.yield(text)
    }

    public func stop() {
        runner?.cancel()
        runner = nil
        outbound?.finish()
        outbound = nil
    }

    private func run(into continuation: AsyncThrowingStream<RealtimeFrame, any Error>.Continuation) async {
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            guard let token = await client.tokens.current?.accessToken else {
                continuation.finish(throwing: EntativaError.notSignedIn)
                return
            }
            let (commands, writer) = AsyncStream.makeStream(of: String.self)
            outbound = writer
            do {
                let close = try await connect(token: token, commands: commands) { continuation.yield($0) }
                if close?.closeCode == .unknown(Self.replacedCode) {
                    // A newer socket of the account took this one's place: fighting it back would
                    // only evict that one in turn.
                    continuation.finish(throwing: Failure.replaced)
                    return
                }
                // It was open: the next drop starts the backoff again.
                backoff = .milliseconds(250)
            } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                // A 401 (the token expired) looks like any refused upgrade: refresh, and a
                // session that is over ends the stream.
                do {
                    _ = try await client.tokens.refresh(failedAccessToken: token) { [client] in try await client.refreshTokens($0) }
                } catch let error as EntativaError where error.status == 401 || error.isNotSignedIn {
                    continuation.finish(throwing: EntativaError.notSignedIn)
                    return
                } catch {}
            } catch {}
            writer.finish()
            outbound = nil
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, maxBackoff)
        }
        continuation.finish()
    }

    private func connect(
        token: String, commands: AsyncStream<String>, deliver: @escaping @Sendable (RealtimeFrame) -> Void
    ) async throws -> WebSocketCloseFrame? {
        var components = URLComponents(url: client.baseURL.appendingPathComponent("api/v1/streaming"), resolvingAgainstBaseURL: false)!
        components.scheme = components.scheme == "https" ? "wss" : "ws"
        if let lastEventID { components.queryItems = [URLQueryItem(name: "last_event_id", value: lastEventID)] }
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let handled: @Sendable (String) async -> Void = { id in await self.handled(id) }
        return try await WebSocketClient.connect(
            url: components.string ?? "", configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers), logger: Self.logger
        ) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 21) {
                        guard case .text(let text) = message, let frame = RealtimeFrame(text: text) else { continue }
                        deliver(frame)
                        if let id = frame.id, frame.type != "ready" { await handled(id) }
                    }
                }
                group.addTask {
                    for await command in commands { try await outbound.write(.text(command)) }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    private func handled(_ id: String) {
        lastEventID = id
    }

    static let logger = Logger(label: "entativa.realtime-client")
}

private struct OutgoingFrame<Payload: Encodable>: Encodable {
    var type: String
    var payload: Payload
}

extension EntativaError {
    var isNotSignedIn: Bool {
        if case .notSignedIn = self { return true }
        return false
    }
}
