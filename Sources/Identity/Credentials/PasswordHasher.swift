import HummingbirdBcrypt
import NIOPosix

/// bcrypt off the request threads: at cost 12 one hash takes a quarter of a second of CPU.
public struct PasswordHasher: Sendable {
    public let cost: Int
    /// What a password for a missing account is checked against. It has the configured cost,
    /// because bcrypt's time is set by the hash's cost, not the hasher's: a fixed cost would
    /// answer unknown names faster or slower than known ones.
    public let dummyHash: String

    /// Makes the dummy hash once: a quarter of a second at start-up at cost 12.
    public init(cost: Int) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4–31")
        self.cost = cost
        dummyHash = Bcrypt.hash(SecretToken.generate(), cost: UInt8(cost))
    }

    public func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the same time as a real check, so a missing account is not faster to refuse.
    public func verifyAgainstDummy(_ password: String) async throws {
        _ = try await verify(password, against: dummyHash)
    }
}
