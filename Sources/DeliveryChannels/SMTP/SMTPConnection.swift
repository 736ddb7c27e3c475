import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (optionally TLS) connection to an SMTP server, spoken one command at a time.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let host: String

    static func connect(
        host: String,
        port: Int,
        implicitTLS: NIOSSLContext?,
        group: any EventLoopGroup,
        timeout: Duration
    ) async throws -> SMTPConnection {
        let serverName = serverHostname(host)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let implicitTLS {
                        try pipeline.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName))
                    }
                    try pipeline.addHandler(SMTPClientHandler())
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return SMTPConnection(channel: channel, host: host)
        } catch {
            throw SMTPError(.connection, step: "connect", detail: "\(host):\(port): \(error)")
        }
    }

    /// Sends `line` (CRLF appended; nil waits for an unsolicited reply such as the greeting)
    /// and returns the reply, or fails after `timeout` and drops the connection, whose
    /// conversation is then out of step.
    func command(_ line: String?, step: String, timeout: Duration) async throws -> SMTPReply {
        try await exchange(line.map { channel.allocator.buffer(string: $0 + "\r\n") }, step: step, timeout: timeout)
    }

    /// Sends raw bytes (the dot-stuffed message body) and returns the reply.
    func exchange(_ payload: ByteBuffer?, step: String, timeout: Duration) async throws -> SMTPReply {
        let reply = channel.eventLoop.makePromise(of: SMTPReply.self)
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            reply.fail(SMTPError(.timeout, step: step, detail: "no reply within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        channel.writeAndFlush(SMTPRequest(payload: payload, reply: reply)).whenFailure { error in
            reply.fail(error)
        }
        do {
            return try await reply.futureResult.get()
        } catch let error as SMTPError {
            throw error
        } catch let error as NIOSSLError {
            throw SMTPError(.tls, step: step, detail: "\(error)")
        } catch let error as BoringSSLError {
            throw SMTPError(.tls, step: step, detail: "\(error)")
        } catch {
            throw SMTPError(.connection, step: step, detail: "\(error)")
        }
    }

    /// Puts TLS under the SMTP handler after the server's 220 to STARTTLS; the next
    /// command waits for the handshake, and a failed handshake fails that command.
    func startTLS(context: NIOSSLContext) async throws {
        let channel = self.channel
        let serverName = Self.serverHostname(host)
        do {
            // One event-loop turn: no bytes can arrive between the check and the switch.
            try await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                guard try !pipeline.handler(type: SMTPClientHandler.self).hasUnreadInput else {
                    throw SMTPError(.tls, step: "STARTTLS", detail: "server sent data before the TLS handshake")
                }
                try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first)
            }.get()
        } catch let error as SMTPError {
            channel.close(promise: nil)
            throw error
        } catch {
            channel.close(promise: nil)
            throw SMTPError(.tls, step: "STARTTLS", detail: "\(error)")
        }
    }

    func close() async {
        try? await channel.close().get()
    }

    /// SNI and certificate name; nil for an IP literal, which NIOSSL then checks against
    /// the certificate's IP addresses.
    private static func serverHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
