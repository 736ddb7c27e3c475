import AsyncHTTPClient
import NIOSSL

/// TLS settings shared by every channel, so a private relay's CA is trusted the same way everywhere.
public enum ChannelTLS {
    /// A client TLS configuration that trusts the system roots plus, when given, the PEM roots in `trustedCAFile`.
    ///
    /// Added to, not replacing, the system roots: a private CA for a relay or a test peer must
    /// not stop the same process from reaching the public providers.
    public static func clientConfiguration(trustedCAFile: String?) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let trustedCAFile {
            tls.additionalTrustRoots = [.file(trustedCAFile)]
        }
        return tls
    }

    /// An `HTTPClient` for the push senders.
    ///
    /// HTTP/2 is negotiated by ALPN (APNs accepts nothing else); redirects are not followed
    /// because a push provider never redirects and following one would leak the bearer token.
    /// The caller owns the client and must `shutdown()` it.
    public static func makeHTTPClient(
        trustedCAFile: String? = nil,
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(30)
    ) -> HTTPClient {
        HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: configuration(trustedCAFile: trustedCAFile, connectTimeout: connectTimeout, readTimeout: readTimeout))
    }

    /// The configuration `makeHTTPClient` uses, for callers that add to it (a pinned address).
    public static func configuration(
        trustedCAFile: String?, connectTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(30)
    ) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: clientConfiguration(trustedCAFile: trustedCAFile),
            redirectConfiguration: .disallow,
            timeout: .init(connect: .init(connectTimeout), read: .init(readTimeout))
        )
        configuration.httpVersion = .automatic
        return configuration
    }
}
