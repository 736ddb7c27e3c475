import Foundation
import Synchronization

/// A one-line progress bar on a terminal; plain percentages every tenth when piped.
final class ProgressBar: Sendable {
    let title: String
    let interactive = isatty(STDOUT_FILENO) == 1
    private let last = Mutex(-1)

    init(title: String) { self.title = title }

    func update(_ fraction: Double) {
        let percent = Int(max(0, min(1, fraction)) * 100)
        let step = interactive ? percent : percent / 10 * 10
        guard last.withLock({ previous in
            defer { previous = max(previous, step) }
            return step > previous
        }) else { return }
        if interactive {
            let filled = percent * 30 / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
            FileHandle.standardOutput.write(Data("\r\(title) [\(bar)] \(percent)%".utf8))
        } else {
            print("\(title): \(step)%")
        }
    }

    func finish() {
        if interactive { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}
