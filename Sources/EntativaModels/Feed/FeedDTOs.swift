/// How a home timeline is ordered: newest first; by engagement (reactions, comments and
/// shares, with a daily decay); or ranked (recency, engagement, the reader's affinity with the
/// author and, once trained, a learned model) — the last two within windows of the newest posts.
public enum HomeOrder: String, Codable, Sendable, CaseIterable {
    case chronological
    case engagement
    case ranked
}

extension HomeOrder: WireEnum {}

/// A page of a home timeline, with how it was ordered.
public struct HomePage: Codable, Sendable {
    public var items: [Post]
    public var nextCursor: String?
    public var ranking: HomeRanking

    public init(items: [Post], nextCursor: String?, ranking: HomeRanking) {
        self.items = items
        self.nextCursor = nextCursor
        self.ranking = ranking
    }

    private enum CodingKeys: String, CodingKey {
        case items, nextCursor, ranking
    }

    // `next_cursor` is always present, `null` on the last page, as in every list.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(ranking, forKey: .ranking)
    }
}

/// How a home page was ordered: the order, the weight of each term that scored it, and the
/// terms left out (the learned model, until one has been trained).
public struct HomeRanking: Codable, Sendable, Equatable {
    public var order: HomeOrder
    public var terms: [String: Double]
    public var leftOut: [String]

    public init(order: HomeOrder, terms: [String: Double], leftOut: [String]) {
        self.order = order
        self.terms = terms
        self.leftOut = leftOut
    }
}

extension HomePage: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("items"); writer.array(items)
        writer.key("next_cursor")
        if let nextCursor { writer.string(nextCursor) } else { writer.null() }
        writer.key("ranking"); ranking.writeJSON(to: &writer)
        writer.endObject()
    }
}

extension HomeRanking: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("left_out"); writer.array(leftOut)
        writer.key("order"); writer.rawValue(order)
        writer.key("terms")
        writer.beginObject()
        for name in terms.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            writer.key(dynamic: name)
            writer.double(terms[name] ?? 0)
        }
        writer.endObject()
        writer.endObject()
    }
}
