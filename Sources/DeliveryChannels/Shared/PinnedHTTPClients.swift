import AsyncHTTPClient
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// HTTP clients for endpoints that users name (Web Push subscriptions). Checking the URL's
/// spelling is not enough: `https://innocent.example/` may resolve to 127.0.0.1, and a name can
/// be rebound between a check and the connection. So the host is resolved here, every address is
/// checked, and the client connects to exactly the address that passed (AsyncHTTPClient's
/// `dnsOverride`), while TLS still verifies the certificate against the name.
public final class PinnedHTTPClients: Sendable {
    public struct Refused: Error, CustomStringConvertible {
        public var host: String
        public var description: String { "\(host) resolves to a loopback, private or link-local address" }
    }

    /// The name did not resolve: perhaps for now only, so this is never a verdict on it.
    public struct Unresolvable: Error, CustomStringConvertible {
        public var host: String
        public var description: String { "\(host) does not resolve" }
    }

    struct Entry {
        var address: String
        var client: HTTPClient
        var resolvedAt: ContinuousClock.Instant
    }

    let trustedCAFile: String?
    let allowPrivate: Bool
    /// How long one resolution is trusted; push services rotate addresses, we follow.
    let reuseFor: Duration
    static let maxHosts = 64
    private let entries = Mutex<[String: Entry]>([:])

    public init(trustedCAFile: String?, allowPrivate: Bool, reuseFor: Duration = .seconds(300)) {
        self.trustedCAFile = trustedCAFile
        self.allowPrivate = allowPrivate
        self.reuseFor = reuseFor
    }

    /// A client pinned to a checked address of `url`'s host.
    public func client(for url: URL) async throws -> HTTPClient {
        guard let host = url.host?.lowercased(), !host.isEmpty else { throw Refused(host: url.absoluteString) }
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[host] }), now - entry.resolvedAt < reuseFor { return entry.client }
        guard let address = try await checkedAddresses(host).first else { throw Refused(host: host) }
        var configuration = ChannelTLS.configuration(trustedCAFile: trustedCAFile)
        configuration.dnsOverride = [host: address]
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let retired: [HTTPClient] = entries.withLock { entries in
            var retired: [HTTPClient] = []
            if let old = entries[host] { retired.append(old.client) }
            if entries.count >= Self.maxHosts, let oldest = entries.min(by: { $0.value.resolvedAt < $1.value.resolvedAt }) {
                retired.append(oldest.value.client)
                entries[oldest.key] = nil
            }
            entries[host] = Entry(address: address, client: client, resolvedAt: now)
            return retired
        }
        // A replaced client may still be mid-request; it is shut down once that has surely ended.
        for old in retired {
            Task {
                try? await Task.sleep(for: .seconds(120))
                try? await old.shutdown()
            }
        }
        return client
    }

    /// Shuts every client down; for owners that end before the process does.
    public func shutdown() async throws {
        let clients = entries.withLock { entries in
            defer { entries.removeAll() }
            return entries.values.map(\.client)
        }
        for client in clients { try await client.shutdown() }
    }

    /// Checks a host at registration time: the same rule as at connection time.
    /// A name that does not resolve now passes: the connection-time check still stands guard.
    public func check(host: String) async throws {
        guard !allowPrivate else { return }
        do {
            _ = try await checkedAddresses(host)
        } catch is Unresolvable {
            return
        }
    }

    /// What `host` resolves to, refused whole when any address is private (a name with one
    /// public and one loopback address is as dangerous as a loopback name).
    func checkedAddresses(_ host: String) async throws -> [String] {
        if !allowPrivate, PrivateAddress.contains(host: host) { throw Refused(host: host) }
        let addresses = try await Self.resolve(host)
        guard !addresses.isEmpty else { throw Unresolvable(host: host) }
        if !allowPrivate, addresses.contains(where: PrivateAddress.contains(host:)) { throw Refused(host: host) }
        return addresses
    }

    /// Every address `host` resolves to, as numeric strings. getaddrinfo blocks, so it runs on a
    /// thread of its own rather than on a concurrency pool thread.
    public static func resolve(_ host: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, nil, &hints, &result)
                guard status == 0 else {
                    continuation.resume(throwing: Unresolvable(host: host))
                    return
                }
                defer { freeaddrinfo(result) }
                var addresses: [String] = []
                var cursor = result
                while let info = cursor {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                        addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                    }
                    cursor = info.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }
}
