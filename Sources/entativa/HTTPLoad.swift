import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A closed-loop HTTP/1.1 load generator in the spirit of `wrk`: each keep-alive connection sends
/// its next request as soon as the previous answer ends, so throughput and latency are the
/// server's, not a schedule's. It lives in the benchmark's process, so the bare router and the
/// server under test share the machine with it on the same terms.
struct HTTPLoad {
    struct Target: Sendable {
        var label: String
        var port: Int
        var path: String
        var bearer: String?
        /// When given, requests rotate through these tokens (several readers), each connection
        /// starting at its own place; `bearer` is then ignored.
        var bearers: [String] = []
        /// When given, the requests are POSTs of these JSON bodies with their headers (several
        /// senders), rotating as `bearers` do; `bearer` and `bearers` are then ignored.
        var posts: [Post] = []
        /// When given, GET requests rotate through these paths (several queries), paired in
        /// turn with the tokens; `path` is then ignored.
        var paths: [String] = []
    }

    struct Post: Sendable {
        var headers: [(String, String)]
        var body: [UInt8]
    }

    struct Result: Sendable {
        var requests: Int
        var failures: Int
        /// Every answer, counted or not, for per-request figures such as statements.
        var answered: Int
        var seconds: Double
        /// Sorted, in microseconds.
        var latencies: [UInt32]

        var perSecond: Double { Double(requests) / seconds }
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.down)))
            return Double(latencies[index]) / 1000
        }
    }

    let group: MultiThreadedEventLoopGroup
    let connections: Int

    /// Requests in flight when the time is up are finished but not timed.
    func measure(_ target: Target, for duration: Duration) async throws -> Result {
        let tally = Tally()
        let start = NIODeadline.now()
        let deadline = start + .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        let tokens: [String?] = target.bearers.isEmpty ? [target.bearer] : target.bearers
        let paths = target.paths.isEmpty ? [target.path] : target.paths
        var prepared: [(HTTPRequestHead, ByteBuffer?)] = (0..<max(paths.count, tokens.count)).map { index in
            let token = tokens[index % tokens.count]
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: paths[index % paths.count])
            head.headers.add(name: "Host", value: "127.0.0.1:\(target.port)")
            head.headers.add(name: "Accept", value: "application/json")
            if let token { head.headers.add(name: "Authorization", value: "Bearer \(token)") }
            return (head, nil)
        }
        if !target.posts.isEmpty {
            prepared = target.posts.map { post in
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target.path)
                head.headers.add(name: "Host", value: "127.0.0.1:\(target.port)")
                head.headers.add(name: "Accept", value: "application/json")
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(post.body.count))
                for (name, value) in post.headers { head.headers.add(name: name, value: value) }
                return (head, ByteBuffer(bytes: post.body))
            }
        }
        let requests = prepared
        var channels: [any Channel] = []
        for connection in 0..<connections {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            LoopHandler(requests: requests, first: connection % requests.count, deadline: deadline, tally: tally))
                    }
                }
                .connect(host: "127.0.0.1", port: target.port).get()
            channels.append(channel)
        }
        for channel in channels { try? await channel.closeFuture.get() }
        let seconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        let (latencies, failures, late) = tally.state.withLock { ($0.latencies, $0.failures, $0.late) }
        return Result(
            requests: latencies.count, failures: failures, answered: latencies.count + failures + late, seconds: seconds,
            latencies: latencies.sorted())
    }

    final class Tally: Sendable {
        let state = Mutex<(latencies: [UInt32], failures: Int, late: Int)>(([], 0, 0))
    }

    /// One connection's loop. Latencies are kept locally and handed over once, at close, so the
    /// measuring costs no lock per request.
    final class LoopHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart

        let requests: [(HTTPRequestHead, ByteBuffer?)]
        var next: Int
        let deadline: NIODeadline
        let tally: Tally
        var sentAt = NIODeadline.now()
        var latencies: [UInt32] = []
        var failures = 0
        var late = 0
        var succeeded = true

        init(requests: [(HTTPRequestHead, ByteBuffer?)], first: Int, deadline: NIODeadline, tally: Tally) {
            self.requests = requests
            self.next = first
            self.deadline = deadline
            self.tally = tally
            latencies.reserveCapacity(1 << 14)
        }

        func channelActive(context: ChannelHandlerContext) {
            send(context: context)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                succeeded = head.status.code < 400
            case .body:
                break
            case .end:
                let now = NIODeadline.now()
                guard now < deadline else {
                    late += 1
                    context.close(promise: nil)
                    return
                }
                if succeeded {
                    latencies.append(UInt32(clamping: (now - sentAt).nanoseconds / 1000))
                } else {
                    failures += 1
                }
                send(context: context)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            let (latencies, failures, late) = (self.latencies, self.failures, self.late)
            tally.state.withLock {
                $0.latencies.append(contentsOf: latencies)
                $0.failures += failures
                $0.late += late
            }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            failures += 1
            context.close(promise: nil)
        }

        private func send(context: ChannelHandlerContext) {
            sentAt = .now()
            let (head, body) = requests[next]
            // A stride coprime with most counts, so connections do not march in step.
            next = (next + 7) % requests.count
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
