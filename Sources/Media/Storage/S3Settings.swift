import EntativaCore
import Foundation

extension S3Configuration {
    static let requiredVariables = ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]
    static let variables = requiredVariables + ["S3_ENDPOINT", "S3_REGION", "S3_FORCE_PATH_STYLE"]

    /// Reads `S3_ENDPOINT`, `S3_BUCKET`, `S3_REGION`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`
    /// and `S3_FORCE_PATH_STYLE`; `nil` when none is set (media stay on local disk). Some set but
    /// not all three required ones, or an endpoint that is not an http(s) URL, is a startup
    /// error: a typo must not quietly put media on local disk. Without an endpoint this is AWS.
    public init?(reading reader: SettingsReader) throws {
        let given = Self.variables.filter { reader.text($0) != nil }
        guard !given.isEmpty else { return nil }
        let missing = Self.requiredVariables.filter { reader.text($0) == nil }
        guard missing.isEmpty else {
            throw ConfigurationError(
                "S3 storage is half configured (\(given.joined(separator: ", ")) set): also set \(missing.joined(separator: ", ")), or unset them all to keep media on local disk")
        }
        let region = reader.text("S3_REGION") ?? "us-east-1"
        let endpoint: URL
        if let text = reader.text("S3_ENDPOINT") {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                throw ConfigurationError("S3_ENDPOINT=\(text) is not an http(s) URL with a host, e.g. http://127.0.0.1:9000")
            }
            endpoint = url
        } else {
            endpoint = URL(string: "https://s3.\(region).amazonaws.com")!
        }
        self.init(
            endpoint: endpoint, bucket: reader.text("S3_BUCKET")!, region: region, accessKeyID: reader.text("S3_ACCESS_KEY_ID")!,
            secretAccessKey: reader.text("S3_SECRET_ACCESS_KEY")!,
            forcePathStyle: try reader.bool("S3_FORCE_PATH_STYLE") ?? (reader.text("S3_ENDPOINT") != nil))
    }
}
