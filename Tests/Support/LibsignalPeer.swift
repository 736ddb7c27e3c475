import Foundation
import Subprocess

/// libsignal itself (its Rust core through the `signal-protocol` Python bindings, in the 3.9
/// venv the test command makes) answering requests in a batch: the witness for EntativaKit's
/// Signal-protocol code. Without the venv the tests that need it fail and say how to make it.
public enum LibsignalPeer {
    public static var python: String {
        if let configured = ProcessInfo.processInfo.environment["ENTATIVA_LIBSIGNAL_PYTHON"] { return configured }
        return repositoryRoot.appendingPathComponent(".venv-libsignal/bin/python").path
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("Tests/peers/libsignal/peer.py").path

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends `requests` (JSON objects, bytes as hex) and returns libsignal's answers in order.
    public static func ask(_ requests: [[String: String]]) async throws -> [[String: String]] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Unavailable(description: "no libsignal venv at \(python): run scripts/test, or make it with Python 3.9 and Tests/peers/libsignal/requirements.txt")
        }
        let input = try JSONSerialization.data(withJSONObject: requests)
        let result = try await Subprocess.run(
            .name("env"), arguments: [python, script], input: .array(Array(input)), output: .data(limit: 16 << 20),
            error: .string(limit: 64 * 1024))
        guard result.terminationStatus.isSuccess else { throw Unavailable(description: "libsignal peer failed: \(result.standardError)") }
        let answers = try JSONSerialization.jsonObject(with: result.standardOutput) as? [[String: Any]] ?? []
        return answers.map { $0.mapValues { "\($0)" } }
    }
}

extension Array where Element == UInt8 {
    public var hex: String { map { String(format: "%02x", $0) }.joined() }

    public init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        self = bytes
    }
}
