import Foundation
import Subprocess

/// The peer-test venv's Python (made by the test command), for witnesses from PyPI that need no
/// state: a script on the command line, its standard output as the answer.
public enum PythonPeer {
    static var python: String { LibsignalPeer.repositoryRoot.appendingPathComponent(".venv/bin/python").path }

    public static func run(_ script: String, arguments: [String] = []) async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw LibsignalPeer.Unavailable(description: "no peer-test venv at \(python): run scripts/test, or make it from Tests/peers/requirements.txt")
        }
        let result = try await Subprocess.run(
            .path(.init(python)), arguments: .init(["-c", script] + arguments), output: .string(limit: 16 << 20), error: .string(limit: 64 * 1024))
        guard result.terminationStatus.isSuccess else { throw LibsignalPeer.Unavailable(description: "python failed: \(result.standardError)") }
        return result.standardOutput
    }
}
