import EntativaModels
import Identity
import Media

/// Media serves files by their owner's standing, which identity keeps. Media does not import
/// identity, so the composition root hands it this translation of identity's answer.
struct IdentityMediaOwners: MediaOwners {
    let standings: AccountStandings

    func standings(of owners: [AccountID]) async throws -> [AccountID: MediaOwnerStanding] {
        try await standings.of(owners).mapValues { standing in
            guard standing.isActive else { return .hidden }
            return standing.isPrivate ? .privateAccount : .publicAccount
        }
    }
}
