import NIOCore

/// A command (or nothing, to wait for the greeting) and the promise its reply fulfils.
struct SMTPRequest: Sendable {
    var payload: ByteBuffer?
    var reply: EventLoopPromise<SMTPReply>
}

/// Pairs replies with requests in order, since SMTP without PIPELINING is strictly
/// one reply per command (plus the unsolicited greeting).
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var inbound = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var received = CircularBuffer<SMTPReply>()
    private var failure: (any Error)?

    /// True when the server sent more than was asked for. Before STARTTLS takes effect that
    /// would be plaintext injected to be read as if it came over TLS (RFC 3207 §4.2 hazard).
    var hasUnreadInput: Bool {
        inbound.readableBytes > 0 || !received.isEmpty || parser.isMidReply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        inbound.writeBuffer(&bytes)
        do {
            while let reply = try parser.nextReply(from: &inbound) {
                received.append(reply)
            }
            inbound.discardReadBytes()
        } catch {
            failAll(error)
            context.close(promise: nil)
            return
        }
        match()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        waiting.append(request.reply)
        if let payload = request.payload {
            context.write(wrapOutboundOut(payload), promise: promise)
        } else {
            promise?.succeed(())
        }
        match()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPError(.connection, step: "connection", detail: "server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func match() {
        while !waiting.isEmpty, !received.isEmpty {
            waiting.removeFirst().succeed(received.removeFirst())
        }
    }

    private func failAll(_ error: any Error) {
        if failure == nil { failure = error }
        while let promise = waiting.popFirst() {
            promise.fail(error)
        }
    }
}
