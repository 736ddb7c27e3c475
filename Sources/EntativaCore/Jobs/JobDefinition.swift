import Foundation

/// A group of job kinds that share a bounded number of concurrent slots, so slow work in one lane
/// (a transcode) never holds up another (mail, push, event consumers).
public struct JobLane: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    /// Slots when `ENTATIVA_JOB_LANES` does not name this lane; the `default` lane's size is
    /// `ENTATIVA_JOB_WORKERS`.
    public let defaultSlots: Int

    public init(_ name: String, defaultSlots: Int = 1) {
        self.name = name
        self.defaultSlots = defaultSlots
    }

    public static let `default` = JobLane("default", defaultSlots: 4)

    public var description: String { name }

    // A lane is its name; the default size is only a fallback for configuration.
    public static func == (lhs: JobLane, rhs: JobLane) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A kind of background work, the payload it carries and the lane it runs in.
public struct JobDefinition<Payload: Codable & Sendable>: Sendable {
    public let kind: String
    public let maxAttempts: Int
    public let lane: JobLane

    public init(_ kind: String, maxAttempts: Int = 8, lane: JobLane = .default) {
        self.kind = kind
        self.maxAttempts = maxAttempts
        self.lane = lane
    }
}

/// Which attempt of a job is running, so a handler can give up cleanly on its last one.
public struct JobAttempt: Sendable {
    public var number: Int
    public var maxAttempts: Int
    public var isLast: Bool { number >= maxAttempts }
}

public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued
    case running
    case done
    /// Failed `max_attempts` times, or its lease lapsed on the last one; waits for an operator's
    /// `entativa admin jobs retry`.
    case dead
}

public struct JobRecord: Codable, Sendable {
    public var id: Int64
    public var kind: String
    public var lane: String
    public var payload: String
    public var state: String
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Int64
    public var lockedUntil: Int64?
    public var lastError: String?
    public var createdAt: Int64
    public var updatedAt: Int64
}
