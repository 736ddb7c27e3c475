import EntativaModels
import Foundation
import Synchronization

/// Makes 64-bit IDs that sort by creation time: 41 bits of milliseconds since 2024-01-01,
/// 10 bits of instance number, 12 bits of sequence. Several instances sharing one database
/// never collide as long as each has its own instance number.
public final class IDGenerator: Sendable {
    static let epochMillis: Int64 = 1_704_067_200_000
    private let instance: Int64
    private let state = Mutex<(millis: Int64, sequence: Int64)>((0, 0))

    public init(instance: Int) {
        precondition((0..<1024).contains(instance), "instance number must be 0–1023")
        self.instance = Int64(instance)
    }

    public func next() -> Int64 {
        state.withLock { state in
            var millis = max(Date().millisecondsSince1970 - Self.epochMillis, state.millis)
            if millis == state.millis {
                state.sequence += 1
                if state.sequence >= 4096 {
                    // Sequence exhausted within this millisecond: borrow the next one.
                    millis += 1
                    state.sequence = 0
                }
            } else {
                state.sequence = 0
            }
            state.millis = millis
            return (millis << 22) | (instance << 12) | state.sequence
        }
    }

    /// The ID an instance would have made at `millis` (Unix time) with `sequence`: for data made
    /// in bulk with past times, such as `entativa seed`, which uses an instance number no server runs.
    public static func id(atUnixMillis millis: Int64, instance: Int, sequence: Int) -> Int64 {
        precondition((0..<1024).contains(instance) && (0..<4096).contains(sequence), "instance 0–1023, sequence 0–4095")
        return (max(0, millis - epochMillis) << 22) | (Int64(instance) << 12) | Int64(sequence)
    }

    public func next<Entity>(_: Identifier<Entity>.Type = Identifier<Entity>.self) -> Identifier<Entity> {
        Identifier(rawValue: next())
    }
}
