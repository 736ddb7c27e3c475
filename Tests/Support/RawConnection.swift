import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a live test server, for what HTTP clients hide: a refused
/// WebSocket upgrade's exact answer, or a request body sent in pieces with pauses between.
/// Every blocking call runs on a thread of its own: the server under test runs in this process
/// on the cooperative pool, and a test that blocked a pool thread in `recv` would starve it.
public final class RawConnection: @unchecked Sendable {
    let descriptor: Int32
    private let closed = Atomic<Bool>(false)

    public struct Answer: Sendable {
        public var status: Int
        public var head: String
        public var body: String

        public func header(_ name: String) -> String? {
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// - Parameter receiveBuffer: a small kernel buffer makes a client that stops reading fall
    ///   behind sooner (`StalledClient`).
    /// The receive timeout only ends a read that would otherwise block the test forever: on a
    /// 2-core CI machine running hundreds of tests at once, an answer may take longer than ten
    /// seconds (a tus PATCH once did), and no test waits on it to detect silence.
    public init(port: Int, receiveBuffer: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(tv_sec: 90, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect() failed") }
    }

    deinit { close() }

    /// Closes once: a second close could hit a descriptor number the process has reused.
    public func close() {
        if !closed.exchange(true, ordering: .relaxed) { _ = Glibc.close(descriptor) }
    }

    public func send(_ data: Data) async {
        await Self.offPool { self.sendBlocking(data) }
    }

    public func send(_ text: String) async { await send(Data(text.utf8)) }

    public func readAnswer() async -> Answer {
        await Self.offPool { self.readAnswerBlocking() }
    }

    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    func sendBlocking(_ data: Data) {
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = Glibc.send(descriptor, buffer.baseAddress! + sent, buffer.count - sent, 0)
                if count <= 0 { return }
                sent += count
            }
        }
    }

    /// Reads one answer: up to the end of the head for a status without a body (1xx, 204,
    /// 304), otherwise until the body's `Content-Length` is in or the server closes.
    private func readAnswerBlocking() -> Answer {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let split = received.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<split.lowerBound], as: UTF8.self)
                let answer = Answer(status: 0, head: head, body: "")
                let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                // RFC 9112 §6.3: these never carry a body, whatever their headers say.
                let bodiless = (100..<200).contains(status) || status == 204 || status == 304
                let length = bodiless ? 0 : Int(answer.header("content-length") ?? "") ?? -1
                if length >= 0, received.count - split.upperBound >= length { break }
            }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: received, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let status = Int(parts[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        return Answer(status: status, head: parts[0], body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Sends a WebSocket upgrade for `path` and reads the answer.
    public static func upgrade(port: Int, path: String, headers: [String] = []) async throws -> Answer {
        let connection = try RawConnection(port: port)
        await connection.send(upgradeRequest(path: path, headers: headers))
        return await connection.readAnswer()
    }

    static func upgradeRequest(path: String, headers: [String] = []) -> Data {
        let extra = headers.map { $0 + "\r\n" }.joined()
        return Data("""
            GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n
            """.utf8)
    }
}
