import Foundation

/// `ENTATIVA_JOB_WORKERS`, `ENTATIVA_JOB_LANES` and `ENTATIVA_JOB_LEASE_SECONDS`, checked: text
/// outside a range is a startup error that says what would be accepted.
public struct JobSettings: Sendable, Equatable {
    public static let slotRange = 0...256
    public static let leaseSecondsRange = 2...3600

    public var workers: Int?
    public var lanes: [String: Int] = [:]
    public var lease: Duration?

    public init(environment: [String: String]) throws {
        func text(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let value = text("ENTATIVA_JOB_WORKERS") {
            guard let workers = Int(value), Self.slotRange.contains(workers) else {
                throw JobSettingsError("ENTATIVA_JOB_WORKERS=\(value) must be a whole number in \(Self.slotRange) (0 runs no jobs here)")
            }
            self.workers = workers
        }
        if let value = text("ENTATIVA_JOB_LEASE_SECONDS") {
            guard let seconds = Int(value), Self.leaseSecondsRange.contains(seconds) else {
                throw JobSettingsError("ENTATIVA_JOB_LEASE_SECONDS=\(value) must be a whole number of seconds in \(Self.leaseSecondsRange)")
            }
            lease = .seconds(seconds)
        }
        lanes = try Self.lanes(text("ENTATIVA_JOB_LANES") ?? "")
    }

    /// `media=2,other=3`: lane names of lowercase letters, digits, `_`, `-` and `.`, each once;
    /// the default lane is sized by `ENTATIVA_JOB_WORKERS` instead.
    static func lanes(_ text: String) throws -> [String: Int] {
        var lanes: [String: Int] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty,
                parts[0].allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "_-.".contains($0) })
            else {
                throw JobSettingsError("ENTATIVA_JOB_LANES: \"\(entry)\" is not lane=slots (lane names: a-z 0-9 _ - .)")
            }
            let name = parts[0]
            guard name != JobLane.default.name else {
                throw JobSettingsError("ENTATIVA_JOB_LANES: size the default lane with ENTATIVA_JOB_WORKERS")
            }
            guard let slots = Int(parts[1]), slotRange.contains(slots) else {
                throw JobSettingsError("ENTATIVA_JOB_LANES: \(name)=\(parts[1]) must be a slot count in \(slotRange)")
            }
            guard lanes.updateValue(slots, forKey: name) == nil else {
                throw JobSettingsError("ENTATIVA_JOB_LANES: \(name) is named twice")
            }
        }
        return lanes
    }
}

public struct JobSettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
