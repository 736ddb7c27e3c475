import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Why `shouldUpgrade` refused a WebSocket upgrade, so the client gets a problem document with
/// the real status (401, 422, 429 with `Retry-After`) instead of the WebSocket library's bare,
/// empty 400. The gateway records the reason against the connection; `UpgradeRefusalHandler`,
/// which sits in every HTTP/1 pipeline, rewrites that 400 when it goes out.
public final class UpgradeRefusals: Sendable {
    private let pending = Mutex<[ObjectIdentifier: AppError]>([:])

    public init() {}

    func refuse(_ channel: any Channel, with error: AppError) {
        pending.withLock { $0[ObjectIdentifier(channel)] = error }
    }

    func take(_ channel: any Channel) -> AppError? {
        pending.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// A new handler for one connection's pipeline.
    public func handler() -> any RemovableChannelHandler { UpgradeRefusalHandler(refusals: self) }
}

final class UpgradeRefusalHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let refusals: UpgradeRefusals

    init(refusals: UpgradeRefusals) { self.refusals = refusals }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(let head) = unwrapOutboundIn(data), head.status == .badRequest, let error = refusals.take(context.channel) else {
            context.write(data, promise: promise)
            return
        }
        let (fields, body) = ProblemMiddleware<AppRequestContext>.document(for: error, requestID: ProblemMiddleware<AppRequestContext>.newRequestID())
        var response = HTTPResponse(status: .init(code: error.status), headerFields: fields)
        response.headerFields[.connection] = "close"
        response.headerFields[.contentLength] = String(body.count)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        _ = refusals.take(context.channel)
        context.fireChannelInactive()
    }
}
