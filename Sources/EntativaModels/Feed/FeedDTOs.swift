/// How a home timeline is ordered. Only the newest-first order exists so far; the engagement
/// and ranked orders come with the ranking work of the feed issue.
public enum HomeOrder: String, Codable, Sendable, CaseIterable {
    case chronological
}

extension HomeOrder: WireEnum {}
