import EntativaCore
import EntativaModels

/// How a media owner's account stands, as far as serving its files goes.
public enum MediaOwnerStanding: Sendable, Equatable {
    /// Files of public media go out at their public paths.
    case publicAccount
    /// Every file goes out only through signed paths, handed to those who may see it.
    case privateAccount
    /// Suspended, deleted or unknown: nothing is served.
    case hidden
}

/// Answers the standing of media owners. Accounts belong to the identity domain, whose tables
/// media never reads; the composition root plugs identity's answer in.
public protocol MediaOwners: Sendable {
    /// The standing of each of `owners`; one missing from the answer counts as hidden.
    func standings(of owners: [AccountID]) async throws -> [AccountID: MediaOwnerStanding]
}

extension MediaOwners {
    func standing(of owner: AccountID) async throws -> MediaOwnerStanding {
        try await standings(of: [owner])[owner] ?? .hidden
    }
}

extension MediaRow {
    /// Whether the files need signed paths: the media's own setting (the audience of what shows
    /// it) or its owner's private account. Kept apart so that a private account going public
    /// again does not open media of narrower posts.
    func needsSignature(owner: MediaOwnerStanding) -> Bool {
        isPrivate || owner != .publicAccount
    }
}
