import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Keeps one PostgreSQL connection listening for other instances' cache invalidations. Caches
/// serve entries only while it listens; each (re)connection empties them first.
public struct PostgresCacheListener: Service {
    let invalidation: CacheInvalidation
    let url: String
    let logger: Logger

    public init(database: AppDatabase, url: String, logger: Logger) {
        self.invalidation = database.invalidation
        self.url = url
        self.logger = logger
    }

    public func run() async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        await cancelWhenGracefulShutdown {
            var connectionID = 0
            while !Task.isCancelled {
                connectionID += 1
                do {
                    let connection = try await PostgresConnection.connect(
                        on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: connectionID, logger: logger
                    ).get()
                    do {
                        try await connection.listen(on: CacheInvalidation.channel) { notifications in
                            invalidation.listenerChanged(live: true)
                            for try await notification in notifications {
                                invalidation.receive(payload: notification.payload)
                            }
                        }
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                    invalidation.listenerChanged(live: false)
                    try? await connection.close()
                } catch {
                    invalidation.listenerChanged(live: false)
                    if Task.isCancelled { return }
                    logger.warning("cache listener lost its database connection; caches are off until it is back", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
