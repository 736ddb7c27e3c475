import DeliveryChannels
import Foundation
import Testing

@Suite("Pinned endpoint clients")
struct PinnedClientTests {
    /// Names that resolve to this machine without DNS (through /etc/hosts): its own name, and
    /// Debian's `ip6-localhost`. Whichever resolve here are the ones tried.
    static func inwardNames() async -> [String] {
        var names: [String] = []
        for name in [ProcessInfo.processInfo.hostName, "ip6-localhost", "ip6-loopback"] {
            if let addresses = try? await PinnedHTTPClients.resolve(name), !addresses.isEmpty { names.append(name) }
        }
        return names
    }

    @Test("A name that resolves to this machine is refused, however innocent it looks")
    func refusesNamesThatResolveInward() async throws {
        let pinned = PinnedHTTPClients(trustedCAFile: nil, allowPrivate: false)
        let inward = await Self.inwardNames()
        try #require(!inward.isEmpty, "no name resolves to this machine here")
        for host in inward + ["localhost", "127.0.0.1", "[::1]", "2130706433"] {
            await #expect(throws: PinnedHTTPClients.Refused.self, "\(host)") {
                _ = try await pinned.client(for: URL(string: "https://\(host):8443/push/abc")!)
            }
            await #expect(throws: PinnedHTTPClients.Refused.self, "\(host)") { try await pinned.check(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) }
        }
    }

    @Test("A name that does not resolve now is no verdict at registration, and no connection at sending")
    func unresolvableNames() async throws {
        let pinned = PinnedHTTPClients(trustedCAFile: nil, allowPrivate: false)
        try await pinned.check(host: "push.invalid")
        await #expect(throws: PinnedHTTPClients.Unresolvable.self) { _ = try await pinned.client(for: URL(string: "https://push.invalid/x")!) }
    }

    @Test("With private endpoints allowed (tests, closed networks) the same names get a client")
    func allowedWhenConfigured() async throws {
        let pinned = PinnedHTTPClients(trustedCAFile: nil, allowPrivate: true)
        _ = try await pinned.client(for: URL(string: "https://127.0.0.1:8443/push")!)
        for host in await Self.inwardNames() { try await pinned.check(host: host) }
        try await pinned.shutdown()
    }
}
