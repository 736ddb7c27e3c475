import EntativaModels

/// Emitted by identity when an account's data is to be removed. It lives in the kernel because
/// every module that stores per-account data must handle it, including those below identity
/// (the kernel's own tables, media); each subscribes and deletes its part, idempotently.
public struct AccountDeleted: DomainEvent {
    public static let topic = "account.deleted"
    public var accountId: AccountID

    public init(accountId: AccountID) { self.accountId = accountId }
}
