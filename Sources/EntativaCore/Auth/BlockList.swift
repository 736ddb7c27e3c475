import EntativaModels
import Synchronization

/// Whether two accounts have blocked each other. Lower domains (identity, media) ask it
/// without importing the graph domain that answers it; the composition root plugs it in.
public protocol BlockList: Sendable {
    /// True when either account blocks the other.
    func eitherBlocks(_ first: AccountID, _ second: AccountID) async throws -> Bool
    /// The accounts among `others` that `account` blocks or that block `account`, in one look-up.
    func blocked(with account: AccountID, among others: [AccountID]) async throws -> Set<AccountID>
}

/// The block list of a running server: none until the graph domain registers its own.
public final class BlockListSlot: BlockList {
    private struct Nobody: BlockList {
        func eitherBlocks(_ first: AccountID, _ second: AccountID) async throws -> Bool { false }
        func blocked(with account: AccountID, among others: [AccountID]) async throws -> Set<AccountID> { [] }
    }

    private let current = Mutex<any BlockList>(Nobody())

    public init() {}

    public func install(_ list: any BlockList) { current.withLock { $0 = list } }

    public func eitherBlocks(_ first: AccountID, _ second: AccountID) async throws -> Bool {
        guard first != second else { return false }
        return try await current.withLock { $0 }.eitherBlocks(first, second)
    }

    public func blocked(with account: AccountID, among others: [AccountID]) async throws -> Set<AccountID> {
        let others = others.filter { $0 != account }
        guard !others.isEmpty else { return [] }
        return try await current.withLock { $0 }.blocked(with: account, among: others)
    }
}
