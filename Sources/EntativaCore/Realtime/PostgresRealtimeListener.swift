import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Keeps one PostgreSQL connection listening on the realtime channel and hands every event to
/// the hub's local sockets. When the connection drops, notifications sent meanwhile are lost to
/// it, so after reconnecting it closes the local sockets: their clients resume from the log.
public struct PostgresRealtimeListener: Service {
    let hub: RealtimeHub
    let url: String
    let logger: Logger

    public init(hub: RealtimeHub, url: String, logger: Logger) {
        self.hub = hub
        self.url = url
        self.logger = logger
    }

    public func run() async throws {
        hub.listenerStarted.store(true, ordering: .relaxed)
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        await cancelWhenGracefulShutdown {
            var connectionID = 0
            var hadConnection = false
            while !Task.isCancelled {
                connectionID += 1
                do {
                    let connection = try await PostgresConnection.connect(
                        on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: connectionID, logger: logger
                    ).get()
                    let reconnected = hadConnection
                    hadConnection = true
                    do {
                        try await connection.listen(on: RealtimeHub.notifyChannel) { notifications in
                            hub.listening.store(true, ordering: .relaxed)
                            // Only now are new events sure to arrive, so only now may clients resume.
                            if reconnected { hub.disconnectAll() }
                            for try await notification in notifications {
                                await hub.receive(notification: notification.payload)
                            }
                        }
                    } catch {
                        // A connection must be closed before it is released, however listening ends.
                        try? await connection.close()
                        throw error
                    }
                    hub.listening.store(false, ordering: .relaxed)
                    try? await connection.close()
                } catch {
                    hub.listening.store(false, ordering: .relaxed)
                    if Task.isCancelled { return }
                    logger.warning("realtime listener lost its database connection; reconnecting", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
