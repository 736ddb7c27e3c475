import Foundation

/// Reads one module's settings from environment variables. Every module parses its own section
/// with it, so a variable's name, its check and its default live beside the setting they fill.
/// An empty variable counts as unset.
public struct SettingsReader: Sendable {
    public let environment: [String: String]

    public init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func text(_ name: String) -> String? {
        environment[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `nil` when unset; a value `convert` rejects is a startup error naming the variable.
    public func value<T>(_ name: String, _ convert: (String) -> T?) throws -> T? {
        guard let text = text(name) else { return nil }
        guard let value = convert(text) else { throw ConfigurationError("\(name)=\(text) is not valid") }
        return value
    }

    public func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try value(name) { Int($0).flatMap { range.contains($0) ? $0 : nil } }
    }

    public func bool(_ name: String) throws -> Bool? {
        try value(name, Self.bool)
    }

    public static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }
}

/// Configuration the server cannot start with; the message names the variable and the fix.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
