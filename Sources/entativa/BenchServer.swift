import Logging
import ServiceLifecycle

/// A server a bench runs inside its own process, stopped the way SIGTERM stops `serve`: it
/// finishes what it is answering and closes its sockets. Cancelled instead, it logged errors on
/// the way out, and could wait for ever on socket clients that wait for it.
struct BenchServer: Sendable {
    private let services: ServiceGroup
    private let running: Task<Void, any Error>

    init(_ service: some Service) {
        let services = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "bench")))
        self.services = services
        running = Task { try await services.run() }
    }

    func stop() async {
        await services.triggerGracefulShutdown()
        _ = await running.result
    }

    /// For a bench that fails half-way: it cannot wait in a `defer`.
    func cancel() {
        running.cancel()
    }
}
