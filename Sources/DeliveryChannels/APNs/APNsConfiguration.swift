/// Credentials and endpoint for Apple's provider API with token-based authentication.
public struct APNsConfiguration: Sendable {
    public static let productionURL = "https://api.push.apple.com"
    public static let sandboxURL = "https://api.sandbox.push.apple.com"

    public var baseURL: String
    /// Contents of the `.p8` file: an ES256 private key in PKCS#8 PEM.
    public var keyP8PEM: String
    /// The 10-character key identifier shown beside the key in the developer account.
    public var keyID: String
    public var teamID: String
    /// The app's bundle identifier, used when a send names no topic.
    public var defaultTopic: String
    /// PEM roots trusted in addition to the system's; pass it to `ChannelTLS.makeHTTPClient`.
    public var trustedCAFile: String?

    public init(
        baseURL: String = APNsConfiguration.productionURL,
        keyP8PEM: String,
        keyID: String,
        teamID: String,
        defaultTopic: String,
        trustedCAFile: String? = nil
    ) {
        self.baseURL = baseURL
        self.keyP8PEM = keyP8PEM
        self.keyID = keyID
        self.teamID = teamID
        self.defaultTopic = defaultTopic
        self.trustedCAFile = trustedCAFile
    }
}

public enum APNsError: Error, Sendable, Equatable {
    case invalidKey(String)
}
