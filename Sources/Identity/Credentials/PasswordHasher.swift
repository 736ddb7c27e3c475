import HummingbirdBcrypt
import NIOPosix

/// bcrypt off the request threads: at cost 12 one hash takes a quarter of a second of CPU.
public struct PasswordHasher: Sendable {
    public let cost: Int

    public init(cost: Int) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4–31")
        self.cost = cost
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
        _ = try await verify(password, against: Self.dummyHash)
    }

    static let dummyHash = Bcrypt.hash("entativa-dummy-password", cost: 12)
}
