import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix

/// Keeps one PostgreSQL connection listening for the wake-ups that enqueuing transactions send
/// (`pg_notify` with a lane name, or `@outbox`), in every instance, and wakes the matching loop.
/// Wake-ups sent while the connection was down are lost, so every reconnect wakes every loop.
struct JobWakeListener {
    let wakeUps: JobWakeUps
    let url: String
    let logger: Logger

    func run() async {
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: connectionID, logger: logger
                ).get()
                do {
                    try await connection.listen(on: JobWakeUps.channel) { notifications in
                        wakeUps.wakeAll()
                        for try await notification in notifications {
                            wakeUps.wake(notification.payload)
                        }
                    }
                } catch {
                    // A connection must be closed before it is released, however listening ends.
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.warning("job wake-up listener lost its database connection; reconnecting", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
