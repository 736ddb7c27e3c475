import Foundation

/// A TCP client that sends a WebSocket upgrade and then never reads: the slowest client there is.
public final class StalledClient: Sendable {
    let connection: RawConnection

    public init(port: Int, path: String) throws {
        connection = try RawConnection(port: port, receiveBuffer: 4096)
        // A few hundred bytes always fit in the kernel's send buffer: this cannot block.
        connection.sendBlocking(RawConnection.upgradeRequest(path: path))
    }

    public func close() { connection.close() }
}
