import Foundation

/// Credentials and endpoint for Firebase Cloud Messaging's HTTP v1 API.
public struct FCMConfiguration: Sendable {
    public static let productionURL = "https://fcm.googleapis.com"

    /// The Google service-account key file's JSON, as downloaded.
    public var serviceAccountJSON: String
    public var baseURL: String
    /// PEM roots trusted in addition to the system's; pass it to `ChannelTLS.makeHTTPClient`.
    public var trustedCAFile: String?

    public init(serviceAccountJSON: String, baseURL: String = FCMConfiguration.productionURL, trustedCAFile: String? = nil) {
        self.serviceAccountJSON = serviceAccountJSON
        self.baseURL = baseURL
        self.trustedCAFile = trustedCAFile
    }
}

/// The fields of a service-account key this sender uses.
struct FCMServiceAccount: Decodable, Sendable {
    var projectID: String
    var clientEmail: String
    var privateKey: String
    var privateKeyID: String?
    var tokenURI: String

    enum CodingKeys: String, CodingKey {
        case projectID = "project_id"
        case clientEmail = "client_email"
        case privateKey = "private_key"
        case privateKeyID = "private_key_id"
        case tokenURI = "token_uri"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        projectID = try container.decode(String.self, forKey: .projectID)
        clientEmail = try container.decode(String.self, forKey: .clientEmail)
        privateKey = try container.decode(String.self, forKey: .privateKey)
        privateKeyID = try container.decodeIfPresent(String.self, forKey: .privateKeyID)
        tokenURI = try container.decodeIfPresent(String.self, forKey: .tokenURI) ?? "https://oauth2.googleapis.com/token"
    }
}

public enum FCMError: Error, Sendable, Equatable {
    /// The service-account JSON is unreadable or its key is not an RSA private key.
    case invalidServiceAccount(String)
}
