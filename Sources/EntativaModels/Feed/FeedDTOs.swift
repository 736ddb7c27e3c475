/// How a home timeline is ordered: newest first, or by engagement (reactions, comments and
/// shares, with a daily decay) within a window of the newest posts. The ranked order with
/// affinity and a learned model comes with the rest of the feed issue.
public enum HomeOrder: String, Codable, Sendable, CaseIterable {
    case chronological
    case engagement
}

extension HomeOrder: WireEnum {}
