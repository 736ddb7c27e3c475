import EntativaModels
import Foundation

/// Why a call failed: the server's problem document, or no usable answer at all.
public enum EntativaError: Error, Sendable, CustomStringConvertible {
    /// The server answered with an RFC 9457 problem (4xx or 5xx).
    case problem(Problem)
    /// The request never got an answer.
    case transport(String)
    /// The answer was not what this SDK version understands.
    case unexpectedResponse(status: Int, body: String)
    /// The call needs a signed-in client.
    case notSignedIn

    public var description: String {
        switch self {
        case .problem(let problem): "\(problem.status) \(problem.title): \(problem.detail ?? "")"
        case .transport(let reason): "transport: \(reason)"
        case .unexpectedResponse(let status, let body): "unexpected \(status): \(body.prefix(200))"
        case .notSignedIn: "not signed in"
        }
    }

    /// The HTTP status, when the server answered.
    public var status: Int? {
        switch self {
        case .problem(let problem): problem.status
        case .unexpectedResponse(let status, _): status
        default: nil
        }
    }
}
