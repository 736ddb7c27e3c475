import Logging

/// Keeps metadata as it is set and hands it to the wrapped handler only when a message is
/// actually logged. `StreamLogHandler` formats its whole metadata on every change; the server
/// sets a request ID on each request's logger, so that formatting ran per request (about 5 % of
/// a cheap read) even when nothing was logged.
public struct DeferredMetadataLogHandler<Wrapped: LogHandler>: LogHandler {
    private var wrapped: Wrapped
    public var metadata: Logger.Metadata = [:]

    public init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
        self.metadata = wrapped.metadata
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var handler = wrapped
        handler.metadata = metadata
        handler.log(event: event)
    }
}
